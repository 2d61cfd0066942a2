using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Authorities.Referrals;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Bulwark.Tests.Authorities.Referrals.ReferralScenario;

namespace Bulwark.Tests.Authorities.Referrals;

/// <summary>/api/v1/authorities/referrals with the <c>authorities</c> scope, on both providers: the running server's own pipeline and delivery worker.</summary>
public class ReferralApiTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_referral_made_over_the_API_is_signed_delivered_exported_and_its_bad_input_refused_with_problems(DatabaseProvider provider)
    {
        await using var endpoint = await FakeAuthorityEndpoint.StartAsync();
        var settings = Settings(endpoint.Url);
        settings["Bulwark:Authorities:Referrals:PollSeconds"] = "1";
        await using var host = await ApiHost.StartAsync(provider, settings);
        await Appeals.EnforcementScenario.UploadAsync(host.Services, "api-threat", "acct-api", Review.ReviewScenario.Imminent, "synthetic clip api-threat");
        await Appeals.EnforcementScenario.UploadAsync(host.Services, "api-other", "acct-api", "harmless-label", "synthetic clip api-other");
        await host.WaitForStatusAsync("api-threat");
        await host.WaitForStatusAsync("api-other");
        long caseId;
        await using (var db = host.Services.GetRequiredService<IBulwarkDbFactory>().Create())
            caseId = await db.Set<ReviewCaseRow>().Where(c => c.ContentId == "api-threat" && c.Queue == "threat-to-life").Select(c => c.Id).SingleAsync();
        var client = host.Client(await host.KeyAsync(Scopes.Authorities));
        var body = new { contentId = "api-threat", assessment = "Synthetic: names an invented time and place.", urgency = "immediate", memberState = "IT" };

        // Another scope may not refer.
        var forbidden = await host.Client(await host.KeyAsync(Scopes.Read)).PostAsJsonAsync("/api/v1/authorities/referrals", body);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        // Bad input: each refused with a problem naming the field, and nothing referred.
        await AssertFieldAsync(await client.PostAsJsonAsync("/api/v1/authorities/referrals", new { assessment = "x" }), "caseId");
        await AssertFieldAsync(await client.PostAsJsonAsync("/api/v1/authorities/referrals", new { caseId, contentId = "api-threat", assessment = "x" }), "caseId");
        await AssertFieldAsync(await client.PostAsJsonAsync("/api/v1/authorities/referrals", new { caseId }), "assessment");
        await AssertFieldAsync(await client.PostAsJsonAsync("/api/v1/authorities/referrals", new { caseId, assessment = "x", urgency = "tomorrow" }), "urgency");
        await AssertFieldAsync(await client.PostAsJsonAsync("/api/v1/authorities/referrals", new { caseId, assessment = "x", memberState = "Italy" }), "memberState");
        var unknownField = await client.PostAsJsonAsync("/api/v1/authorities/referrals", new { caseId, assessment = "x", colour = "red" });
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
        Assert.Equal("application/problem+json", unknownField.Content.Headers.ContentType!.MediaType);
        var notThreat = await client.PostAsJsonAsync("/api/v1/authorities/referrals", new { contentId = "api-other", assessment = "x" });
        Assert.Equal(HttpStatusCode.NotFound, notThreat.StatusCode);
        Assert.Contains("threat-to-life", (await Json(notThreat)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/v1/authorities/referrals", new { caseId = 987654, assessment = "x" })).StatusCode);
        // Nothing was referred: at most the rule path's draft (the shipped imminent-threat rule drafts one; a person completes it).
        Assert.All((await Json(await client.GetAsync("/api/v1/authorities/referrals"))).GetProperty("referrals").EnumerateArray(),
            r => Assert.Equal(ReferralStatus.Draft, r.GetProperty("status").GetString()));
        Assert.Empty(endpoint.Received);

        // The referral: 201 with its location, signed, held, and delivered by the server's own worker.
        var created = await client.PostAsJsonAsync("/api/v1/authorities/referrals", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var referral = await Json(created);
        var id = referral.GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/authorities/referrals/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal(ReferralService.ReferenceOf(caseId), referral.GetProperty("reference").GetString());
        Assert.Equal("IT", referral.GetProperty("recipient").GetProperty("memberState").GetString());
        Assert.Equal(JsonValueKind.Number, referral.GetProperty("holdId").ValueKind);
        JsonElement delivery = default;
        Assert.True(await Eventually.UntilAsync(async () =>
            (delivery = await Json(await client.GetAsync($"/api/v1/authorities/referrals/{id}/delivery"))).GetProperty("status").GetString() == ReferralStatus.Delivered));
        Assert.StartsWith("LE-", delivery.GetProperty("receipt").GetString());
        Assert.Contains(delivery.GetProperty("log").EnumerateArray(), e => e.GetProperty("kind").GetString() == ReferralEventKind.Delivered);
        Assert.Single(endpoint.TakenIn);

        // Sent again by case or by content: refused, naming the referral; nothing is sent twice.
        var again = await client.PostAsJsonAsync("/api/v1/authorities/referrals", new { caseId, assessment = "again" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var conflict = await Json(again);
        Assert.Equal(Bulwark.Server.Api.Problems.ReferralConflict, conflict.GetProperty("type").GetString());
        Assert.Equal(id, conflict.GetProperty("referralId").GetInt64());
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/api/v1/authorities/referrals", body)).StatusCode);

        // The package: a zip whose signature verifies against the platform's key.
        var package = await client.GetAsync($"/api/v1/authorities/referrals/{id}/package");
        Assert.Equal(HttpStatusCode.OK, package.StatusCode);
        Assert.Equal("application/zip", package.Content.Headers.ContentType!.MediaType);
        var verdict = await ReferralPackage.VerifyAsync(new MemoryStream(await package.Content.ReadAsByteArrayAsync()),
            host.Services.GetRequiredService<ReferralSigningKey>().PublicKey.Base64, default);
        Assert.True(verdict.Valid, string.Join("; ", verdict.Findings));

        // Reading, follow-ups, and refusals of the state machine.
        var list = await Json(await client.GetAsync("/api/v1/authorities/referrals?status=delivered"));
        Assert.Equal(id, Assert.Single(list.GetProperty("referrals").EnumerateArray()).GetProperty("id").GetInt64());
        await AssertFieldAsync(await client.GetAsync("/api/v1/authorities/referrals?status=lost"), "status");
        await AssertFieldAsync(await client.GetAsync("/api/v1/authorities/referrals?limit=0"), "limit");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/authorities/referrals/987654")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/authorities/referrals/987654/package")).StatusCode);
        await AssertFieldAsync(await client.PostAsJsonAsync($"/api/v1/authorities/referrals/{id}/follow-up", new { request = " " }), "request");
        var followUp = await client.PostAsJsonAsync($"/api/v1/authorities/referrals/{id}/follow-up", new { request = "The authority asks for the account's sign-up date." });
        Assert.Equal(HttpStatusCode.OK, followUp.StatusCode);
        Assert.Contains((await Json(followUp)).GetProperty("events").EnumerateArray(), e => e.GetProperty("kind").GetString() == ReferralEventKind.FollowUp);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync($"/api/v1/authorities/referrals/{id}/phone", new { contact = "duty officer" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/v1/authorities/referrals/{id}/resend", null)).StatusCode);

        // Every change is audited with the API key as the actor.
        await using (var db = host.Services.GetRequiredService<IBulwarkDbFactory>().Create())
        {
            var audited = await db.AuditEntries.AsNoTracking().Where(a => a.Subject == "referral:" + ReferralService.ReferenceOf(caseId)).Select(a => new { a.Action, a.Actor }).ToListAsync();
            Assert.Contains(audited, a => a.Action == "referral.submitted" && a.Actor.StartsWith("apikey:"));
            Assert.Contains(audited, a => a.Action == "referral.exported");
            Assert.Contains(audited, a => a.Action == "referral.follow_up");
        }
    }

    private static async Task AssertFieldAsync(HttpResponseMessage r, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        var problem = await Json(r);
        Assert.Equal("urn:bulwark:problem:validation", problem.GetProperty("type").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {problem}");
    }

    private static async Task<JsonElement> Json(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.Clone();
}
