using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using static Bulwark.Tests.Review.ReviewScenario;

namespace Bulwark.Tests.Review;

/// <summary>
/// The review service's refusals that are not about a measure carry stable codes (<see cref="ReviewCodes"/>), so the console
/// words them in the reader's language and the API sends them as problem+json <c>code</c>; before, they were English only.
/// </summary>
public class ReviewRefusalCodesTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Each_refusal_of_a_decision_carries_its_code_and_records_nothing(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await UploadAsync(core, "rc1", "acct-rc1", Reviewable);
        await UploadAsync(core, "rc2", "acct-rc2", Reviewable);
        await RunAsync(core);
        var decisions = core.Get<ReviewDecisionService>();
        var c1 = await CaseOfAsync(core, "rc1");
        var claim = await ClaimAsync(core, c1.Id, Alice);
        var ok = Violation(claim);

        async Task Refused(ReviewDecisionRequest r, ReviewUser user, ReviewError error, string code)
        {
            var result = await decisions.DecideAsync(r, user, default);
            Assert.False(result.Ok, $"{code}: was decided");
            Assert.Equal(error, result.Error);
            Assert.Equal(code, result.Why?.Code);
            // The English message stays what the service said (the audit, logs, CLI).
            Assert.Equal(result.Why!.English, result.Message);
        }

        await Refused(ok with { ClaimToken = null }, Alice, ReviewError.Invalid, ReviewCodes.ClaimTokenRequired);
        await Refused(ok with { SubmissionId = null }, Alice, ReviewError.Invalid, ReviewCodes.SubmissionIdRequired);
        await Refused(ok with { Note = new string('n', ReviewDecisionService.MaxNoteLength + 1) }, Alice, ReviewError.Invalid, ReviewCodes.NoteTooLong);
        await Refused(ok with { Exception = "satire" }, Alice, ReviewError.Invalid, ReviewCodes.UnknownException);
        await Refused(ok with { CaseId = 999_999 }, Alice, ReviewError.NotFound, ReviewCodes.CaseNotFound);
        await Refused(ok, Audrey, ReviewError.Forbidden, ReviewCodes.QueueNotPermitted);
        await Refused(ok with { Verdict = "maybe" }, Alice, ReviewError.Invalid, ReviewCodes.InvalidVerdict);
        await Refused(ok with { Verdict = ReviewVerdict.Escalate, Actions = null }, Alice, ReviewError.Invalid, ReviewCodes.EscalateToRequired);
        await Refused(ok with { Verdict = ReviewVerdict.Escalate, Actions = null, EscalateTo = c1.Queue }, Alice, ReviewError.Invalid, ReviewCodes.AlreadyInQueue);
        await Refused(ok with { Verdict = ReviewVerdict.Escalate, Actions = null, EscalateTo = ReviewQueues.Appeals }, Alice, ReviewError.Invalid, ReviewCodes.NotAnEscalationTarget);
        await Refused(ok with { Note = null }, Alice, ReviewError.Invalid, ReviewCodes.NoteRequired);
        await Refused(ok with { Policy = null }, Alice, ReviewError.Invalid, ReviewCodes.PolicyRequired);
        await Refused(ok with { Policy = "VE-NONE" }, Alice, ReviewError.Invalid, ReviewCodes.UnknownPolicy);
        await Refused(ok with { Verdict = ReviewVerdict.NoViolation }, Alice, ReviewError.Invalid, ReviewCodes.ActionsOnlyForViolation);
        // Someone else's claim; a case nobody claimed; then a case decided meanwhile.
        await Refused(ok with { ClaimToken = "bobs-token" }, Bob, ReviewError.Stale, ReviewCodes.CaseClaimedByOther);
        var c2 = await CaseOfAsync(core, "rc2");
        await Refused(ok with { CaseId = c2.Id, ClaimToken = "never-claimed" }, Alice, ReviewError.Stale, ReviewCodes.NoClaim);
        Assert.True((await decisions.DecideAsync(ok, Alice, default)).Ok);
        await Refused(ok with { SubmissionId = "another-form" }, Alice, ReviewError.Stale, ReviewCodes.CaseAlreadyDecided);

        // Bulk decisions.
        async Task BulkRefused(BulkReviewRequest r, string code)
        {
            var result = await decisions.DecideBulkAsync(r, Alice, default);
            Assert.False(result.Ok, code);
            Assert.Equal(code, result.Why?.Code);
        }
        var bulk = new BulkReviewRequest([c2.Id], ReviewVerdict.Violation, "VE-GLORIFY", ["content.remove"], null, "Same clip family.", "bulk-codes");
        await BulkRefused(bulk with { CaseIds = [] }, ReviewCodes.BulkNoCases);
        await BulkRefused(bulk with { Verdict = ReviewVerdict.Escalate }, ReviewCodes.BulkVerdictNotAllowed);
        await BulkRefused(bulk, ReviewCodes.BulkSummaryUnconfirmed);
        await BulkRefused(bulk with { Confirmed = new BulkSummary(1, 0, 0, 0, 0, 0) }, ReviewCodes.BulkSummaryChanged);

        // A claim refused by the queue service carries its code too.
        var taken = await core.Get<ReviewQueueService>().ClaimAsync(c1.Id, Bob, default);
        Assert.Equal(ReviewCodes.CaseAlreadyDecided, taken.Why?.Code);
    }

    [Fact]
    public async Task The_api_sends_the_review_services_code_in_its_problem()
    {
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite);
        var missing = await host.Admin.PostAsJsonAsync("/api/v1/content/no-such-content/deleted", new { reason = "gone" });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ReviewCodes.ContentNotFound, (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        var posted = await host.Admin.PostAsJsonAsync("/api/v1/content", new { id = "api-code-1", kind = "text", text = "A synthetic post", language = "en" });
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        var tooLong = await host.Admin.PostAsJsonAsync("/api/v1/content/api-code-1/deleted", new { reason = new string('r', 501) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        var problem = await tooLong.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ReviewCodes.DeletionReasonTooLong, problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _));
    }
}
