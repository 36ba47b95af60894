package io.relink.e2e;

import io.relink.simulator.ApiSimulator;
import io.relink.simulator.SimulatorConfig;
import io.relink.simulator.model.SeedSpec;
import io.relink.testing.ApiSimulatorResource;
import io.relink.testing.TestTokens;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The web console end to end, in headless Chromium (Debian's, through its ChromeDriver): the three services and the
 * console against the API simulator, an organization pulled through the vendor APIs, and the console used as an admin
 * would use it. Every check compares what the page shows or did with what the services' APIs say. Screenshots of
 * each page go to target/console-screenshots (also when a test fails).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    private static final int ACCOUNTS = 80;
    private static final String ATLASSIAN = "acme";
    private static final String REVIEWER = "console-reviewer@example.com";
    private static final Duration PAGE_WAIT = Duration.ofSeconds(30);
    private static final Path SCREENSHOTS = Path.of("target/console-screenshots");

    private static ApiSimulator simulator;
    private static RunningServices services;
    private static String campaignId;
    private static final List<String> deactivated = new ArrayList<>();

    private WebDriver browser;
    private String testName;

    @BeforeAll
    static void start() throws Exception {
        simulator = ApiSimulator.start(SimulatorConfig.defaults().withPort(0).withDelays(Duration.ofMillis(300),
                Duration.ofMillis(300)), new SeedSpec(null, null, null, null, ACCOUNTS, 5L, 0.1, 0.1, 0.05, 0.05, 0.05, 0.0,
                2, 1, 1, 2, 1, 3));
        Map<String, String> env = new HashMap<>(ApiSimulatorResource.environment(simulator));
        env.putAll(RunningServices.quickTakeover());
        services = RunningServices.start(env, "inventory-service", "matcher-service", "executor-service", "console");
        Map<String, Integer> pulled = new HashMap<>();
        for (Map.Entry<String, String> source : Map.of("entra", "graph-api", "scim", "scim-api", ATLASSIAN, "atlassian-api").entrySet()) {
            pulled.put(source.getKey(), given().baseUri(services.url("inventory-service")).queryParam("from", source.getValue())
                    .post("/api/sources/{source}/pulls", source.getKey()).then().statusCode(201).extract().path("total"));
        }
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> given().baseUri(services.url("executor-service"))
                .queryParam("source", ATLASSIAN).get("/api/decisions/count").then().body("count", equalTo(pulled.get(ATLASSIAN))));
    }

    @AfterAll
    static void stop() {
        if (services != null) {
            services.close();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @BeforeEach
    void openBrowser(TestInfo test) throws Exception {
        testName = test.getTestMethod().orElseThrow().getName();
        ChromeOptions options = new ChromeOptions().setBinary(System.getenv().getOrDefault("RELINK_CHROMIUM", "/usr/bin/chromium"))
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--window-size=1400,1000", "--user-data-dir=" + Files.createTempDirectory("relink-chromium"));
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getenv().getOrDefault("RELINK_CHROMEDRIVER", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        browser = new ChromeDriver(driver, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterEach
    void closeBrowser() throws Exception {
        if (browser != null) {
            screenshot("last");
            browser.quit();
        }
    }

    @Test
    @Order(2)
    void theReviewQueueShowsTheEvidenceSideBySideAndRecordsSingleAndBulkDecisions() throws Exception {
        List<Map<String, Object>> queue = reviewQueue();
        assertThat(queue).as("the seeded organization has accounts a person must decide").hasSizeGreaterThanOrEqualTo(3);

        signIn(REVIEWER, "reviewer", "#/reviews/" + ATLASSIAN);
        List<WebElement> rows = waitFor(By.cssSelector("#review-table tbody tr"), queue.size());
        assertThat(rows).extracting(row -> row.getAttribute("data-account"))
                .containsExactlyInAnyOrderElementsOf(queue.stream().map(item -> (String) item.get("accountId")).toList());
        everyFieldHasALabel();
        screenshot("review-queue");

        // One account: choose its first Entra candidate, give a reason, approve.
        Map<String, Object> first = queue.stream().filter(item -> !((List<?>) item.get("candidates")).isEmpty()).findFirst().orElseThrow();
        String account = (String) first.get("accountId");
        WebElement row = browser.findElement(By.cssSelector("#review-table tr[data-account='" + account + "']"));
        WebElement candidate = row.findElement(By.cssSelector("input[type=radio]"));
        candidate.click();
        String chosen = candidate.getAttribute("value");
        row.findElement(By.name("reason")).sendKeys("checked with HR: same person");
        row.findElement(By.cssSelector("button[value=approve]")).click();
        waitForText(By.id("status"), "Approved");
        JsonPath history = given().baseUri(services.url("matcher-service"))
                .get("/api/reviews/{source}/{account}/history", ATLASSIAN, account).then().statusCode(200).extract().jsonPath();
        assertThat(history.getString("[0].actor")).isEqualTo(REVIEWER);
        assertThat(history.getString("[0].reason")).isEqualTo("checked with HR: same person");
        assertThat(history.getString("[0].idpUserId")).isEqualTo(chosen);

        // The rest, by keyboard only: select all, reject with one reason.
        waitFor(By.cssSelector("#review-table tbody tr"), queue.size() - 1);
        WebElement selectAll = browser.findElement(By.name("select-all"));
        selectAll.sendKeys(Keys.SPACE);
        waitForText(By.id("selected-count"), (queue.size() - 1) + " selected");
        new Select(browser.findElement(By.name("bulk-action"))).selectByValue("reject");
        WebElement reason = browser.findElement(By.name("bulk-reason"));
        reason.sendKeys("service and shared mailboxes stay local");
        reason.sendKeys(Keys.ENTER);
        waitForText(By.id("status"), "Rejected " + (queue.size() - 1) + " account(s)");
        assertThat(reviewQueue()).as("the queue after the bulk decision").isEmpty();
        screenshot("review-queue-decided");
    }

    @Test
    @Order(1)
    void aViewerSeesTheQueueButADecisionIsRefusedWithTheServicesReason() throws Exception {
        List<Map<String, Object>> queue = reviewQueue();
        assertThat(queue).isNotEmpty();
        String account = (String) queue.get(0).get("accountId");
        signIn("console-viewer@example.com", "viewer", "#/reviews/" + ATLASSIAN);
        WebElement row = waitFor(By.cssSelector("#review-table tr[data-account='" + account + "']"), 1).get(0);
        row.findElement(By.name("reason")).sendKeys("I should not be able to");
        row.findElement(By.cssSelector("button[value=reject]")).click();
        waitForText(By.id("alert"), "reviewer");
        screenshot("viewer-refused");
        assertThat(reviewQueue()).extracting(item -> item.get("accountId")).contains(account);
    }

    @Test
    @Order(3)
    void theCampaignDashboardFollowsTheCampaignLiveWithoutReloading() throws Exception {
        String executor = services.url("executor-service");
        campaignId = given().baseUri(executor).contentType("application/json")
                .body("{\"name\":\"console e2e\",\"atlassianSource\":\"acme\",\"canarySize\":3,\"waveSize\":10,\"maxFailureRate\":1.0}")
                .post("/api/campaigns").then().statusCode(201).extract().path("id");
        given().baseUri(executor).post("/api/campaigns/{id}/plan", campaignId).then().statusCode(200);
        deactivateTwoOfTheLastWave();
        given().baseUri(executor).post("/api/campaigns/{id}/start", campaignId).then().statusCode(200);

        signIn("console-operator@example.com", "operator", "#/campaigns/" + campaignId);
        new WebDriverWait(browser, PAGE_WAIT).until(page -> !page.findElements(By.cssSelector("#waves tbody tr")).isEmpty());
        ((JavascriptExecutor) browser).executeScript("window.relinkPageMarker = 'still the same page';");
        long firstSeen = succeeded();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> succeeded() > firstSeen);
        screenshot("campaign-running");
        waitForText(By.cssSelector("[data-measure=State]"), "COMPLETED", Duration.ofMinutes(3));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.relinkPageMarker;"))
                .as("the page updated itself: no reload").isEqualTo("still the same page");

        JsonPath campaign = given().baseUri(executor).get("/api/campaigns/{id}", campaignId).then().extract().jsonPath();
        Map<String, Integer> users = campaign.getMap("users");
        waitForText(By.cssSelector("[data-measure=Succeeded]"), String.valueOf(users.getOrDefault("MOVED", 0) + users.getOrDefault("SKIPPED", 0)));
        // One read of the whole table: the dashboard redraws it every refresh.
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> waves = (List<Map<String, Object>>) ((JavascriptExecutor) browser).executeScript("""
                return [...document.querySelectorAll('#waves tbody tr')].map(row => ({
                  wave: row.dataset.wave,
                  succeeded: row.querySelector('[data-col=succeeded]').textContent,
                  failed: row.querySelector('[data-col=failed]').textContent }));""");
        assertThat(waves).hasSize(campaign.getInt("waves"));
        for (Map<String, Object> wave : waves) {
            int number = Integer.parseInt((String) wave.get("wave"));
            Map<String, Integer> inWave = campaign.getMap("waveProgress.find { it.number == " + number + " }.users");
            assertThat(Integer.parseInt((String) wave.get("succeeded"))).as("wave %d succeeded", number)
                    .isEqualTo(inWave.getOrDefault("MOVED", 0) + inWave.getOrDefault("SKIPPED", 0));
            assertThat(Integer.parseInt((String) wave.get("failed"))).as("wave %d failed", number)
                    .isEqualTo(inWave.getOrDefault("FAILED", 0));
        }
        assertThat(users.getOrDefault("FAILED", 0)).as("the two deactivated accounts failed").isEqualTo(deactivated.size());
        waitForText(By.id("api-budget"), "atlassian-admin");
        assertThat(((JavascriptExecutor) browser).executeScript("return document.getElementById('api-budget').textContent;"))
                .asString().contains("graph", "10/s");
        screenshot("campaign-completed");

        // The list refreshes too, without taking the keyboard focus away from the link a person is on.
        browser.findElement(By.linkText("← All campaigns")).click();
        waitForText(By.tagName("table"), "console e2e");
        ((JavascriptExecutor) browser).executeScript("arguments[0].focus();", browser.findElement(By.linkText("console e2e")));
        Thread.sleep(5_000); // two refreshes
        assertThat(browser.switchTo().activeElement().getText()).as("the focused link after two refreshes").isEqualTo("console e2e");
        screenshot("campaign-list");
    }

    @Test
    @Order(4)
    void deadLettersAreFilteredAndReplayedFromTheConsole() throws Exception {
        String executor = services.url("executor-service");
        List<Map<String, Object>> open = given().baseUri(executor).queryParam("campaign", campaignId).get("/api/dead-letters")
                .then().statusCode(200).extract().jsonPath().getList("");
        assertThat(open).as("the deactivated accounts' policy adds were rejected").hasSize(deactivated.size());
        String errorClass = (String) open.get(0).get("errorClass");
        assertThat(open).extracting(letter -> letter.get("errorClass")).containsOnly(errorClass);

        signIn("console-operator@example.com", "operator", "#/dead-letters");
        waitFor(By.cssSelector("#dead-letters caption"), 1);
        new Select(browser.findElement(By.name("campaign"))).selectByValue(campaignId);
        browser.findElement(By.name("error-class")).sendKeys(errorClass);
        browser.findElement(By.cssSelector("form[aria-label=Filters] button[type=submit]")).click();
        waitFor(By.cssSelector("#dead-letters tbody tr"), open.size());
        browser.findElement(By.name("error-class")).clear();
        browser.findElement(By.name("error-class")).sendKeys("NO_SUCH_ERROR", Keys.ENTER);
        waitForText(By.cssSelector("#dead-letters caption"), "0 dead letter(s)");
        browser.findElement(By.name("error-class")).clear();
        browser.findElement(By.name("error-class")).sendKeys(errorClass, Keys.ENTER);
        waitFor(By.cssSelector("#dead-letters tbody tr"), open.size());
        screenshot("dead-letters");

        deactivated.forEach(account -> simulator.org().accounts.get(account).accountStatus = "active");
        browser.findElement(By.xpath("//button[starts-with(normalize-space(.), 'Replay " + open.size() + " open')]")).click();
        browser.switchTo().alert().accept();
        waitForText(By.id("status"), "Replayed " + open.size());
        // Replayed users start their failed step again: wait for the moves themselves, not for the FAILED count to drop.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> deactivated.forEach(account ->
                assertThat(simulator.org().accounts.get(account).policyId).as(account).isEqualTo("sso-policy")));
        given().baseUri(executor).get("/api/campaigns/{id}", campaignId).then().body("users.FAILED", org.hamcrest.Matchers.nullValue());
        assertThat(given().baseUri(executor).queryParam("campaign", campaignId).get("/api/dead-letters")
                .then().extract().jsonPath().getList("")).isEmpty();
    }

    @Test
    @Order(5)
    void theSnapshotDiffShowsWhatChangedFieldByField() throws Exception {
        var account = simulator.org().accounts.values().iterator().next();
        String before = account.name;
        account.name = before + " (Finance)";
        // The campaign moved most accounts to the SSO policy since version 1: those changed too.
        String v2 = given().baseUri(services.url("inventory-service")).queryParam("from", "atlassian-api")
                .post("/api/sources/{source}/pulls", ATLASSIAN).then().statusCode(201).extract().path("id");

        signIn("console-viewer@example.com", "viewer", "#/snapshots/" + ATLASSIAN);
        waitFor(By.cssSelector("#snapshots tbody tr"), 2);
        // Keyboard: the first Tab stop skips the navigation to the content.
        new org.openqa.selenium.interactions.Actions(browser).sendKeys(Keys.TAB).perform();
        assertThat(browser.switchTo().activeElement().getText()).as("the first Tab stop").isEqualTo("Skip to content");
        new org.openqa.selenium.interactions.Actions(browser).sendKeys(Keys.ENTER).perform();
        assertThat(browser.switchTo().activeElement().getAttribute("id")).as("focus after the skip link").isEqualTo("main");
        browser.findElement(By.cssSelector("a[href$='/" + v2 + "']")).click();
        waitFor(By.id("diff-changed"), 1);
        List<String> changed = browser.findElements(By.cssSelector("#diff-changed tbody tr")).stream().map(WebElement::getText).toList();
        assertThat(changed).filteredOn(row -> row.contains(account.accountId) && row.contains("displayName")).singleElement()
                .satisfies(row -> assertThat(row).contains(before, before + " (Finance)"));
        assertThat(browser.findElement(By.id("diff-title")).getText()).isEqualTo("Version 2 against version 1");
        screenshot("snapshot-diff");
    }

    @Test
    @Order(6)
    void withoutATokenTheConsoleAsksForOneAndRefusesABadOne() throws Exception {
        browser.get(services.url("console") + "/");
        waitFor(By.id("token-input"), 1);
        everyFieldHasALabel();
        assertThat(browser.switchTo().activeElement().getAttribute("id")).as("the token field has the focus").isEqualTo("token-input");
        browser.findElement(By.id("token-input")).sendKeys("not-a-token");
        browser.findElement(By.cssSelector("main button[type=submit]")).click();
        waitForText(By.cssSelector("main .alert"), "Sign in again");
        screenshot("sign-in");
    }

    // ------------------------------------------------------------------------------------------ helpers

    private void signIn(String user, String role, String page) {
        browser.get(services.url("console") + "/#token=" + TestTokens.token(user, role) + "&next=" + page.replace("#", "%23"));
    }

    private List<WebElement> waitFor(By what, int count) {
        return new WebDriverWait(browser, PAGE_WAIT).ignoring(StaleElementReferenceException.class).withMessage(() -> count + " × " + what + " on the page; alert: "
                + browser.findElement(By.id("alert")).getText()).until(page -> {
                    List<WebElement> found = page.findElements(what);
                    return found.size() == count ? found : null;
                });
    }

    private void waitForText(By what, String text) {
        waitForText(what, text, PAGE_WAIT);
    }

    private void waitForText(By what, String text, Duration timeout) {
        new WebDriverWait(browser, timeout).ignoring(StaleElementReferenceException.class).withMessage(() -> "'" + text + "' in " + what + "; alert: "
                + browser.findElement(By.id("alert")).getText()).until(page -> page.findElements(what).stream()
                .anyMatch(element -> element.getText().contains(text)));
    }

    /** Every form control is named for assistive technology: by a label around it or an aria-label. */
    private void everyFieldHasALabel() {
        Object unlabelled = ((JavascriptExecutor) browser).executeScript("""
                return [...document.querySelectorAll('input, select, textarea')]
                  .filter(e => !e.closest('label') && !e.getAttribute('aria-label') && !(e.id && document.querySelector(`label[for="${e.id}"]`)))
                  .map(e => e.outerHTML);""");
        assertThat((List<?>) unlabelled).as("form controls without a label").isEmpty();
    }

    /** The dashboard's succeeded count, read in the page (the dashboard redraws it every refresh). */
    private long succeeded() {
        Object text = ((JavascriptExecutor) browser).executeScript(
                "const e = document.querySelector('[data-measure=Succeeded]'); return e ? e.textContent : null;");
        return text == null ? -1 : Long.parseLong(text.toString().replace(",", ""));
    }

    private static List<Map<String, Object>> reviewQueue() {
        return given().baseUri(services.url("matcher-service")).get("/api/reviews/{source}", ATLASSIAN)
                .then().statusCode(200).extract().jsonPath().getList("");
    }

    private static void deactivateTwoOfTheLastWave() throws Exception {
        try (Connection db = RunningServices.database(); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("select account_id from executor.campaign_user where campaign_id = '" + campaignId
                     + "' and state <> 'EXCLUDED' and wave = (select max(wave) from executor.campaign_user where campaign_id = '"
                     + campaignId + "') order by position limit 2")) {
            while (rs.next()) {
                simulator.org().accounts.get(rs.getString(1)).accountStatus = "deactivated";
                deactivated.add(rs.getString(1));
            }
        }
        assertThat(deactivated).hasSize(2);
    }

    private void screenshot(String name) throws Exception {
        Path file = SCREENSHOTS.resolve(testName + "-" + name + ".png");
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }
}
