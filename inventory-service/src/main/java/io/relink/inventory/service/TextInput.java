package io.relink.inventory.service;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens an uploaded text file as strict UTF-8: a UTF-8 BOM is skipped, UTF-16 and binary content are
 * refused with a plain reason, invalid byte sequences fail reading instead of turning into U+FFFD.
 */
final class TextInput {

    private static final int SNIFF_BYTES = 4096;

    private TextInput() {
    }

    static Reader open(Path file, InputErrors errors) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
        in.mark(SNIFF_BYTES);
        byte[] head = in.readNBytes(SNIFF_BYTES);
        in.reset();
        if (head.length == 0) {
            in.close();
            throw errors.fatal(null, null, "The file is empty");
        }
        if (head.length >= 2 && ((head[0] == (byte) 0xFE && head[1] == (byte) 0xFF)
                || (head[0] == (byte) 0xFF && head[1] == (byte) 0xFE))) {
            in.close();
            throw errors.fatal(1L, null, "The file is UTF-16 encoded; save it as UTF-8 (CSV UTF-8) and upload again");
        }
        for (byte b : head) {
            if (b == 0) {
                in.close();
                throw errors.fatal(null, null, "The file contains binary data (NUL bytes); expected UTF-8 text");
            }
        }
        if (head.length >= 3 && head[0] == (byte) 0xEF && head[1] == (byte) 0xBB && head[2] == (byte) 0xBF) {
            in.skipNBytes(3);
        }
        return new InputStreamReader(in, strictUtf8());
    }

    private static CharsetDecoder strictUtf8() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    static boolean isEncodingProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.charset.CharacterCodingException) {
                return true;
            }
        }
        return false;
    }

}
