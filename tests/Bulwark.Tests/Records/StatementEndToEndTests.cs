using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Actions.Webhooks;
using Bulwark.Core.Records.StatementsOfReasons;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Tests.Actions;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Records;

/// <summary>
/// The issue's "done when": a ban and its reversal on appeal reach a webhook receiver signed, and the restriction's
/// statement of reasons exists, passes the database's validation and is exported.
/// </summary>
public class StatementEndToEndTests
{
    private const string Secret = "e2e-secret-0123456789abcdefghijk";

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_confirmed_ban_and_its_reversal_on_appeal_reach_the_receiver_and_the_statement_is_exported(DatabaseProvider provider)
    {
        await using var host = await ApiHost.StartAsync(provider, new() { ["Bulwark:Webhooks:AllowedInternal:0"] = "127.0.0.1" });
        await using var receiver = await TestReceiver.StartAsync();
        await host.Services.GetRequiredService<WebhookService>().CreateAsync(new NewWebhook("platform", receiver.Url + "/hook", Secret, IncludeHistory: true), "test", default);
        var keys = host.Services.GetRequiredService<ApiKeyService>();
        var platform = host.Client(await host.KeyAsync(Scopes.Ingest));
        var reader = host.Client(await host.KeyAsync(Scopes.Read));
        var officer = host.Client((await keys.CreateAsync("appeals-officer", [Scopes.AppealsDecide, Scopes.AppealsSenior] /* the ban was routed to account-ban, a senior queue */, "test", default)).Key);

        // An account linked off-platform to a designated organisation posts: the shipped rules send it to review.
        Assert.Equal(HttpStatusCode.Created, (await host.Admin.PostAsJsonAsync("/api/v1/accounts/acct-e2e/offplatform-findings",
            new { source = "partner", description = "Recruits for Synthetic Front", linkedEntity = "entity-1" })).StatusCode);
        var posted = await platform.PostAsJsonAsync("/api/v1/content",
            new { id = "e2e-1", kind = "text", text = "join us", language = "it", account = new { id = "acct-e2e", handle = "@e2e.user", displayName = "E2E User" } });
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        var content = await host.WaitForStatusAsync("e2e-1");
        // The integrator reads the decision's id from the content API, as docs/api.md tells them to.
        var decisionId = content.GetProperty("decision").GetProperty("id").GetInt64();
        await using (var db = host.Services.GetRequiredService<IBulwarkDbFactory>().Create())
            Assert.Equal(await db.Decisions.Where(d => d.ContentId == "e2e-1").Select(d => d.Id).SingleAsync(), decisionId);

        // A person confirms support for the organisation: zero tolerance bans the account.
        var confirmed = await host.Admin.PostAsJsonAsync($"/api/v1/decisions/{decisionId}/confirm", new { violation = "support", reason = "verified by a second analyst", content = new[] { "content.remove" }, account = new[] { "account.ban" } });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        await DeliveredAsync(host, receiver, "content.remove", "account.ban");

        var appeal = await platform.PostAsJsonAsync("/api/v1/appeals", new { decisionId, reason = "I was quoting the group to criticise it." });
        Assert.Equal(HttpStatusCode.Created, appeal.StatusCode);
        var appealId = (await appeal.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var decided = await officer.PostAsJsonAsync($"/api/v1/appeals/{appealId}/decision", new { outcome = "reversed", statement = "Counter-speech; restored." });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        await DeliveredAsync(host, receiver, "content.restore", "account.reinstate");

        var verifier = new WebhookVerifier(Secret);
        Assert.All(receiver.Received, r => Assert.Equal(WebhookVerification.Valid,
            verifier.Verify(r)));

        // The statement for the confirmed restriction: valid, partially automated, ended by the reversal, no personal data.
        var puid = $"bulwark-d{decisionId}-confirmed";
        var record = await reader.GetFromJsonAsync<JsonElement>($"/api/v1/statements/{puid}");
        Assert.Equal(0, record.GetProperty("validationErrors").GetArrayLength());
        Assert.NotEqual(JsonValueKind.Null, record.GetProperty("decisionReversedAt").ValueKind);
        var statement = record.GetProperty("statement");
        Assert.Equal("DECISION_ACCOUNT_TERMINATED", statement.GetProperty("decision_account").GetString());
        Assert.Equal("AUTOMATED_DECISION_PARTIALLY", statement.GetProperty("automated_decision").GetString());
        Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd"), statement.GetProperty("end_date_account_restriction").GetString());
        Assert.DoesNotContain("e2e", statement.GetRawText(), StringComparison.OrdinalIgnoreCase);

        var dir = Path.Combine(Path.GetTempPath(), "bulwark-e2e-" + Guid.NewGuid().ToString("N"));
        try
        {
            var export = await host.Services.GetRequiredService<StatementOfReasonsService>().ExportAsync(DateTimeOffset.UtcNow.AddDays(-1), dir, default);
            Assert.Empty(export.Invalid);
            using var file = JsonDocument.Parse(await File.ReadAllTextAsync(Assert.Single(export.Files)));
            var exported = file.RootElement.GetProperty("statements").EnumerateArray()
                .Select(s => JsonSerializer.Deserialize<StatementOfReasons>(s.GetRawText(), StatementOfReasons.Json)!).ToList();
            var mine = Assert.Single(exported, s => s.Puid == puid);
            Assert.Empty(SorValidator.Validate(mine));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }

    /// <summary>Runs the dispatcher until the receiver has every kind (bounded by <see cref="Eventually.Deadline"/>); the background worker may deliver first.</summary>
    private static async Task DeliveredAsync(ApiHost host, TestReceiver receiver, params string[] kinds)
    {
        var dispatcher = host.Services.GetRequiredService<WebhookDispatcher>();
        if (await Eventually.UntilAsync(async () =>
            {
                var received = receiver.Received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("kind").GetString()).ToHashSet();
                if (kinds.All(received.Contains)) return true;
                await dispatcher.RunOnceAsync("e2e", default);
                return false;
            }))
            return;
        Assert.Fail($"The receiver did not get {string.Join(", ", kinds)}; it got {string.Join(", ", receiver.Received.Select(r => r.Path))}.");
    }
}
