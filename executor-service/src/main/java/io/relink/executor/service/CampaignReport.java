package io.relink.executor.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.relink.executor.CampaignUser;
import io.relink.support.rest.Exports;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The report an admin attaches to the change ticket: an HTML page (summary, outcome per wave as a chart, timeline)
 * and a per-user CSV. Built from the campaign's own records; self-contained (no scripts, no external assets).
 */
@ApplicationScoped
public class CampaignReport {

    private static final String[] CSV_HEADER = {"position", "wave", "accountId", "email", "displayName", "idpUserId",
            "state", "category", "fromPolicy", "toPolicy", "movedAt", "attempts", "errorClass", "reason"};
    /** Chart colours per outcome; the legend names them, so colour is never the only cue. */
    private static final Map<String, String> COLOURS = Map.of("MOVED", "#2e7d32", "SKIPPED", "#9e9e9e", "FAILED", "#c62828",
            "ROLLED_BACK", "#6a1b9a", "PENDING", "#90caf9");
    private static final List<String> CHARTED = List.of("MOVED", "SKIPPED", "FAILED", "ROLLED_BACK", "PENDING");

    private final CampaignService campaigns;

    public CampaignReport(CampaignService campaigns) {
        this.campaigns = campaigns;
    }

    @WithSession
    public Uni<String> csv(UUID id) {
        return campaigns.status(id).flatMap(view -> CampaignUser.<CampaignUser>find("campaignId", Sort.by("position"), id)
                .list().map(users -> Exports.csv(CSV_HEADER, users.stream().map(u -> new Object[]{u.position, u.wave,
                        u.accountId, u.email, u.displayName, u.idpUserId, u.state.name(), u.category,
                        u.originalPolicyName != null ? u.originalPolicyName : u.plannedFromPolicy,
                        u.state == CampaignUser.State.MOVED ? view.targetPolicyName() : null,
                        u.movedAt == null ? null : u.movedAt.toString(), u.attempts, u.errorClass,
                        u.lastError != null ? u.lastError : u.reason}).toList())));
    }

    public Uni<String> html(UUID id) {
        return campaigns.status(id).map(CampaignReport::render);
    }

    static String render(CampaignView c) {
        StringBuilder html = new StringBuilder();
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Campaign report: ")
                .append(esc(c.name())).append("</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2rem;color:#111;max-width:60rem}")
                .append("table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #999;padding:.3rem .6rem;text-align:left}")
                .append("th{background:#eee}.legend span{display:inline-block;margin-right:1rem}")
                .append(".swatch{display:inline-block;width:.9rem;height:.9rem;margin-right:.3rem;vertical-align:middle}")
                .append("</style></head><body>");
        html.append("<h1>Campaign report: ").append(esc(c.name())).append("</h1>");
        html.append("<table><tbody>");
        row(html, "Campaign id", c.id().toString());
        row(html, "State", c.state() + (c.stateReason() == null ? "" : " — " + c.stateReason()));
        row(html, "Atlassian source", c.atlassianSource());
        row(html, "Target policy", c.targetPolicyName() + " (" + c.targetPolicyId() + ")");
        row(html, "Entra scope", c.scopeKind() + " " + c.scopeId());
        row(html, "Waves", c.waves() + " (canary " + c.canarySize() + ", then " + c.waveSize() + " per wave); halt above "
                + String.format(Locale.ROOT, "%.1f%%", c.maxFailureRate() * 100) + " failures");
        row(html, "Created", c.createdBy() + ", " + c.createdAt());
        row(html, "Started / finished", (c.startedAt() == null ? "-" : c.startedAt().toString()) + " / "
                + (c.finishedAt() == null ? "-" : c.finishedAt().toString()));
        row(html, "Users", c.users().toString());
        html.append("</tbody></table>");

        html.append("<h2>Outcome per wave</h2>").append(chart(c.waveProgress()));
        html.append("<div class=\"legend\">");
        CHARTED.forEach(s -> html.append("<span><i class=\"swatch\" style=\"background:").append(COLOURS.get(s))
                .append("\"></i>").append(s).append("</span>"));
        html.append("</div>");

        html.append("<h2>Timeline</h2><table><thead><tr><th>Wave</th><th>Users</th><th>State</th><th>Started</th>")
                .append("<th>Finished</th><th>Duration</th><th>Outcome</th></tr></thead><tbody>");
        for (CampaignView.Wave w : c.waveProgress()) {
            String duration = w.startedAt() == null || w.finishedAt() == null ? "-"
                    : CampaignService.formatDuration(Duration.between(w.startedAt(), w.finishedAt()).toSeconds());
            html.append("<tr><td>").append(w.number() == 1 ? "1 (canary)" : String.valueOf(w.number())).append("</td><td>")
                    .append(w.size()).append("</td><td>").append(esc(w.state())).append("</td><td>")
                    .append(w.startedAt() == null ? "-" : w.startedAt()).append("</td><td>")
                    .append(w.finishedAt() == null ? "-" : w.finishedAt()).append("</td><td>").append(duration)
                    .append("</td><td>").append(esc(w.outcome() == null ? "" : w.outcome())).append("</td></tr>");
        }
        html.append("</tbody></table>");
        html.append("<p>Per-user detail: <code>GET /api/campaigns/").append(c.id())
                .append("/report?format=csv</code>; every decision and API call: <code>GET /api/campaigns/").append(c.id())
                .append("/audit?format=csv</code>.</p></body></html>");
        return html.toString();
    }

    /** A stacked bar per wave, scaled to the largest wave; an accessible SVG with a text alternative. */
    private static String chart(List<CampaignView.Wave> waves) {
        int barHeight = 22;
        int width = 600;
        int labelWidth = 90;
        long largest = Math.max(1, waves.stream().mapToLong(CampaignView.Wave::size).max().orElse(1));
        StringBuilder svg = new StringBuilder();
        svg.append("<svg role=\"img\" aria-label=\"Outcome per wave\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(width + labelWidth).append("\" height=\"").append(Math.max(1, waves.size()) * (barHeight + 6)).append("\">");
        int y = 0;
        for (CampaignView.Wave w : waves) {
            svg.append("<text x=\"0\" y=\"").append(y + 16).append("\" font-size=\"13\">Wave ").append(w.number()).append("</text>");
            double x = labelWidth;
            for (String state : CHARTED) {
                long count = w.users().getOrDefault(state, 0L);
                if (count == 0) {
                    continue;
                }
                double length = (double) count / largest * width;
                svg.append("<rect x=\"").append(String.format(Locale.ROOT, "%.1f", x)).append("\" y=\"").append(y)
                        .append("\" width=\"").append(String.format(Locale.ROOT, "%.1f", length)).append("\" height=\"")
                        .append(barHeight).append("\" fill=\"").append(COLOURS.get(state)).append("\"><title>")
                        .append(state).append(": ").append(count).append("</title></rect>");
                x += length;
            }
            y += barHeight + 6;
        }
        return svg.append("</svg>").toString();
    }

    private static void row(StringBuilder html, String label, String value) {
        html.append("<tr><th scope=\"row\">").append(esc(label)).append("</th><td>").append(esc(value)).append("</td></tr>");
    }

    private static String esc(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
