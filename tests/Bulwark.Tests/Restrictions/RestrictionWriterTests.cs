using Bulwark.Core.Records.StatementsOfReasons;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bulwark.Core.Actions;
using Bulwark.Core.Actions.Restrictions;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Policy;
using Bulwark.Core.Policy.Catalogue;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Policy.Rules;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Bulwark.Tests.Review.ReviewScenario;

namespace Bulwark.Tests.Restrictions;

/// <summary>
/// The restriction writer: measures are taken exactly as named, what a role may not take is refused, the preview is the
/// commit's own plan, and the defects issue 17 lists stay fixed.
/// </summary>
public class RestrictionWriterTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_strike_box_decides_the_strike_and_content_measures_can_be_left_out(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await UploadAsync(core, "s1", "acct-s1", Reviewable);
        await UploadAsync(core, "s2", "acct-s2", Reviewable);
        await RunAsync(core);
        var decisions = core.Get<ReviewDecisionService>();

        // Content removed, no strike box: no strike (before issue 17 every confirmation struck, box or not).
        var first = await decisions.DecideAsync(Violation(await ClaimAsync(core, (await CaseOfAsync(core, "s1")).Id, Alice), actions: ["content.remove"]), Alice, default);
        Assert.True(first.Ok, first.Message);
        // Strike only: the content stays up, the account is struck.
        var second = await decisions.DecideAsync(Violation(await ClaimAsync(core, (await CaseOfAsync(core, "s2")).Id, Alice), actions: ["account.strike"]), Alice, default);
        Assert.True(second.Ok, second.Message);
        Assert.Contains("account.strike", second.Value!.Outcome);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(["acct-s2"], await db.Set<StrikeRow>().Select(s => s.AccountId).ToListAsync());
        var actions = await db.Set<ActionRow>().OrderBy(a => a.Id).Select(a => new { a.Kind, a.TargetId }).ToListAsync();
        Assert.Equal([("content.remove", "s1"), ("account.strike", "acct-s2")], actions.Select(a => (a.Kind, a.TargetId)));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_bulk_decision_shows_its_thresholds_before_anything_happens_and_never_suspends_or_bans_for_a_moderator(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        // Five reviewable clips of one account: VE-GLORIFY strikes weigh 1, so the 3rd suspends and the 5th bans.
        foreach (var i in Enumerable.Range(1, 5)) await UploadAsync(core, $"b{i}", "acct-bulk", Reviewable);
        await RunAsync(core);
        var ids = new List<long>();
        foreach (var i in Enumerable.Range(1, 5)) ids.Add((await CaseOfAsync(core, $"b{i}")).Id);
        var decisions = core.Get<ReviewDecisionService>();
        var bulk = new BulkReviewRequest(ids, ReviewVerdict.Violation, "VE-GLORIFY", ["content.remove", "account.strike"], null, "Same clip family.", "bulk-m");

        // A moderator: the 3rd strike would suspend, which a moderator may not do; those cases are refused, shown in the summary.
        var (summary, items) = await decisions.PreviewBulkAsync(bulk, Alice, default);
        Assert.Equal(new BulkSummary(5, 2, 2, 0, 0, 3), summary);
        Assert.Contains("the account will be suspended", items[2].Refusal);
        // Each refusal carries its stable code and values, so the console words it in the reader's language.
        Assert.Equal(RestrictionCodes.ThresholdNotPermitted, items[2].Why?.Code);
        Assert.Equal(new object[] { 3, 3.0, Measures.AccountSuspend }, items[2].Why!.Args);
        var result = (await decisions.DecideBulkAsync(bulk with { Confirmed = summary }, Alice, default)).Value!;
        Assert.Equal([ReviewError.None, ReviewError.None, ReviewError.Forbidden, ReviewError.Forbidden, ReviewError.Forbidden], result.Select(r => r.Error));
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
            Assert.False(await db.Set<ActionRow>().AnyAsync(a => a.Kind == "account.suspend" || a.Kind == "account.ban"));

        // A senior moderator sees the suspension and the ban in the summary and confirms them; a stale summary is refused.
        var rest = bulk with { CaseIds = ids.Skip(2).ToList(), SubmissionId = "bulk-s" };
        foreach (var i in Enumerable.Range(6, 2)) await UploadAsync(core, $"b{i}", "acct-bulk", Reviewable);
        await RunAsync(core);
        rest = rest with { CaseIds = [.. rest.CaseIds, (await CaseOfAsync(core, "b6")).Id, (await CaseOfAsync(core, "b7")).Id] };
        var (seniorSummary, _) = await decisions.PreviewBulkAsync(rest, Sam, default);
        Assert.Equal(new BulkSummary(5, 5, 5, 1, 1, 0), seniorSummary);
        var tooLittle = await decisions.DecideBulkAsync(rest with { Confirmed = seniorSummary with { Bans = 0 } }, Sam, default);
        Assert.Equal(ReviewError.Stale, tooLittle.Error);
        var senior = (await decisions.DecideBulkAsync(rest with { Confirmed = seniorSummary }, Sam, default)).Value!;
        Assert.Equal(5, senior.Count(r => r.Error == ReviewError.None));
        await using var check = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(["account.suspend", "account.ban"], await check.Set<ActionRow>().Where(a => a.Kind == "account.suspend" || a.Kind == "account.ban").OrderBy(a => a.Id).Select(a => a.Kind).ToListAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_preview_is_what_the_commit_does_including_the_threshold_it_crosses(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        foreach (var i in Enumerable.Range(1, 3)) await UploadAsync(core, $"p{i}", "acct-p", Reviewable);
        await RunAsync(core);
        var decisions = core.Get<ReviewDecisionService>();
        foreach (var i in Enumerable.Range(1, 2))
            Assert.True((await decisions.DecideAsync(Violation(await ClaimAsync(core, (await CaseOfAsync(core, $"p{i}")).Id, Sam)), Sam, default)).Ok);
        var claim = await ClaimAsync(core, (await CaseOfAsync(core, "p3")).Id, Sam);
        var request = Violation(claim);
        var preview = (await decisions.PreviewAsync(request, Sam, default)).Value!;
        Assert.Equal(["account.suspend"], preview.Consequences);
        Assert.Contains("this is the account's strike 3", string.Join("; ", preview.Notes));
        Assert.Equal([RestrictionCodes.Strike, RestrictionCodes.ThresholdSuspend], preview.Noted.Select(n => n.Code));
        Assert.Equal(new object[] { 1.0, 3, 2.0, 3.0 }, preview.Noted[0].Args);
        // Not listed: refused, nothing recorded; listed: exactly the previewed actions are sent.
        var refused = await decisions.DecideAsync(request, Sam, default);
        Assert.False(refused.Ok);
        Assert.Contains("include 'account.suspend'", refused.Message);
        Assert.Equal(RestrictionCodes.ThresholdNotListed, refused.Why?.Code);
        var done = await decisions.DecideAsync(request with { Actions = ["content.remove", "account.strike", "account.suspend"], SubmissionId = "p3-2" }, Sam, default);
        Assert.True(done.Ok, done.Message);
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var sent = await db.Set<ActionRow>().Where(a => a.DecisionId == preview.DecisionId).OrderBy(a => a.Id).Select(a => a.Kind).ToListAsync();
        Assert.Equal(preview.Actions.Select(a => a.Kind), sent);
        Assert.Contains("account.suspend", done.Value!.Outcome);
    }

    [Fact]
    public async Task The_confirm_api_takes_explicit_measures_refuses_what_the_key_may_not_take_and_leaves_an_innocent_post_alone()
    {
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite);
        Assert.Equal(HttpStatusCode.Created, (await host.Admin.PostAsJsonAsync("/api/v1/accounts/acct-off/offplatform-findings",
            new { source = "partner", description = "Recruits for Synthetic Front", linkedEntity = "entity-1" })).StatusCode);
        var posted = await host.Admin.PostAsJsonAsync("/api/v1/content",
            new { id = "hike-1", kind = "text", text = "Weekend hiking trip with friends", language = "en", account = new { id = "acct-off" } });
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        var id = (await host.WaitForStatusAsync("hike-1")).GetProperty("decision").GetProperty("id").GetInt64();
        var url = $"/api/v1/decisions/{id}/confirm";

        var missing = await host.Admin.PostAsJsonAsync(url, new { violation = "support" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("content", await missing.Content.ReadAsStringAsync());
        // A key with policy:admin only may strike and remove, not ban.
        var policyOnly = host.Client(await host.KeyAsync(Scopes.PolicyAdmin));
        var forbidden = await policyOnly.PostAsJsonAsync(url, new { violation = "support", content = Array.Empty<string>(), account = new[] { "account.ban" } });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);
        Assert.Equal(RestrictionCodes.MeasureNotPermitted, (await forbidden.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        // Zero tolerance bans: the preview says so, and leaving the ban out is refused rather than applied implicitly.
        var preview = await (await host.Admin.PostAsJsonAsync(url, new { violation = "support", content = Array.Empty<string>(), account = Array.Empty<string>(), preview = true }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["account.ban"], preview.GetProperty("consequences").EnumerateArray().Select(e => e.GetString()));
        // The preview names its refusal and notes by their stable codes beside the English wording.
        Assert.Equal(RestrictionCodes.ZeroToleranceNotListed, preview.GetProperty("refusalCode").GetString());
        Assert.Equal([RestrictionCodes.NoContentMeasure, RestrictionCodes.ZeroToleranceBan], preview.GetProperty("noteCodes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(preview.GetProperty("notes").GetArrayLength(), preview.GetProperty("noteCodes").GetArrayLength());
        var unlisted = await host.Admin.PostAsJsonAsync(url, new { violation = "support", content = Array.Empty<string>(), account = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.Conflict, unlisted.StatusCode);
        var problem = await unlisted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(RestrictionCodes.ZeroToleranceNotListed, problem.GetProperty("code").GetString());
        Assert.Contains("zero tolerance", problem.GetProperty("detail").GetString());
        var unknown = await host.Admin.PostAsJsonAsync("/api/v1/decisions/999999/confirm", new { content = Array.Empty<string>(), account = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(RestrictionCodes.DecisionNotFound, (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        var confirmed = await host.Admin.PostAsJsonAsync(url, new { violation = "support", content = Array.Empty<string>(), account = new[] { "account.ban" } });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var feed = await host.Admin.GetFromJsonAsync<JsonElement>("/api/v1/actions");
        var kinds = feed.GetProperty("items").EnumerateArray().Select(a => (a.GetProperty("kind").GetString(), a.GetProperty("targetId").GetString())).ToList();
        Assert.Equal([("account.ban", "acct-off")], kinds);
        var enforcement = await host.Admin.GetFromJsonAsync<JsonElement>("/api/v1/accounts/acct-off/enforcement");
        Assert.True(enforcement.GetProperty("banned").GetBoolean());
        var content = await host.Admin.GetFromJsonAsync<JsonElement>("/api/v1/content/hike-1");
        Assert.Equal(id, content.GetProperty("decision").GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Bad_confirmations_are_named_with_their_field_or_code_and_record_nothing()
    {
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite);
        var posted = await host.Admin.PostAsJsonAsync("/api/v1/content",
            new { id = "bad-1", kind = "text", text = "Weekend hiking trip with friends", language = "en", account = new { id = "acct-bad" } });
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        var id = (await host.WaitForStatusAsync("bad-1")).GetProperty("decision").GetProperty("id").GetInt64();
        var url = $"/api/v1/decisions/{id}/confirm";
        async Task<JsonElement> Refused(object body, HttpStatusCode status)
        {
            var r = await host.Admin.PostAsJsonAsync(url, body);
            Assert.Equal(status, r.StatusCode);
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            return await r.Content.ReadFromJsonAsync<JsonElement>();
        }
        // Unknown measures are named by their place in the body.
        var unknown = await Refused(new { content = new[] { "content.delete" }, account = new[] { "account.shadowban" } }, HttpStatusCode.BadRequest);
        Assert.True(unknown.GetProperty("errors").TryGetProperty("content[0]", out _));
        Assert.True(unknown.GetProperty("errors").TryGetProperty("account[0]", out _));
        // The writer's own checks answer with their codes.
        Assert.Equal(RestrictionCodes.InvalidViolation,
            (await Refused(new { violation = "Support!", content = new[] { "content.remove" }, account = Array.Empty<string>(), policy = "VE-GLORIFY" }, HttpStatusCode.Conflict)).GetProperty("code").GetString());
        Assert.Equal(RestrictionCodes.ReasonTooLong,
            (await Refused(new { reason = new string('x', RestrictionWriter.MaxReasonLength + 1), content = new[] { "content.remove" }, account = Array.Empty<string>(), policy = "VE-GLORIFY" }, HttpStatusCode.Conflict)).GetProperty("code").GetString());
        Assert.Equal(RestrictionCodes.InvalidSuspensionDays,
            (await Refused(new { suspensionDays = 0, content = Array.Empty<string>(), account = new[] { "account.suspend" }, policy = "VE-GLORIFY" }, HttpStatusCode.Conflict)).GetProperty("code").GetString());
        // A decision that names no policy (nothing flagged the post) cannot be confirmed without one.
        Assert.Equal(RestrictionCodes.NoPolicy,
            (await Refused(new { content = new[] { "content.remove" }, account = Array.Empty<string>() }, HttpStatusCode.Conflict)).GetProperty("code").GetString());
        // Nothing of it reached the platform.
        var feed = await host.Admin.GetFromJsonAsync<JsonElement>("/api/v1/actions");
        Assert.Equal(0, feed.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_escalation_to_threat_to_life_restricts_the_content_at_once_and_the_reviewer_confirms_or_lifts_it(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await ActivateEscalationRuleAsync(core);
        await UploadAsync(core, "t1", "acct-t1", Escalating);
        await UploadAsync(core, "t2", "acct-t2", Escalating);
        await RunAsync(core);
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            var restricted = await db.Set<ActionRow>().Where(a => a.Kind == Measures.ContentRestrict).OrderBy(a => a.TargetId).ToListAsync();
            Assert.Equal(["t1", "t2"], restricted.Select(a => a.TargetId));
            Assert.Contains("\"interim\":\"true\"", restricted[0].DetailsJson);
            Assert.Equal(2, await db.Set<ReviewCaseRow>().CountAsync(c => c.Queue == "threat-to-life"));
        }
        var decisions = core.Get<ReviewDecisionService>();
        // Confirmed: removed (and struck). Lifted: restored.
        var t1 = await CaseOfAsync(core, "t1");
        Assert.True((await decisions.DecideAsync(Violation(await ClaimAsync(core, t1.Id, Sam), "VE-THREAT"), Sam, default)).Ok);
        var t2 = await CaseOfAsync(core, "t2");
        var lifted = await decisions.DecideAsync(NoViolation(await ClaimAsync(core, t2.Id, Sam)), Sam, default);
        Assert.True(lifted.Ok, lifted.Message);
        await using var check = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal([("content.restrict", "t1"), ("content.restrict", "t2"), ("content.remove", "t1"), ("account.strike", "acct-t1"), ("content.restore", "t2")],
            (await check.Set<ActionRow>().OrderBy(a => a.Id).Select(a => new { a.Kind, a.TargetId }).ToListAsync()).Select(a => (a.Kind, a.TargetId)));

        // Hiding the content is a restriction, so each got a statement saying it is pending review (DSA Art. 17(1)(a)); the
        // confirmed one has its removal statement too, and the lifted one's interim statement ends the day it was lifted.
        var interimT1 = StatementOfReasons.FromJson((await check.Set<StatementRow>().SingleAsync(r => r.Puid == RestrictionWriter.PipelinePuid(t1.DecisionId!.Value))).Json);
        Assert.Equal([SorVocabulary.VisibilityOther], interimT1.DecisionVisibility);
        Assert.Equal(SorVocabulary.InterimRestriction, interimT1.DecisionVisibilityOther);
        Assert.Contains("until a reviewer decides", interimT1.DecisionFacts);
        Assert.DoesNotContain("found that it breaks", interimT1.DecisionFacts);
        Assert.Empty(SorValidator.Validate(interimT1));
        Assert.True(await check.Set<StatementRow>().AnyAsync(r => r.Puid == RestrictionWriter.ConfirmedPuid(t1.DecisionId!.Value)));
        // The removal's statement supersedes the interim one: the interim restriction ends the day the removal starts.
        var removalT1 = StatementOfReasons.FromJson((await check.Set<StatementRow>().SingleAsync(r => r.Puid == RestrictionWriter.ConfirmedPuid(t1.DecisionId!.Value))).Json);
        Assert.Equal(removalT1.ApplicationDate, interimT1.EndDateVisibilityRestriction);
        Assert.Null(removalT1.DecisionVisibilityOther);
        var interimT2 = StatementOfReasons.FromJson((await check.Set<StatementRow>().SingleAsync(r => r.Puid == RestrictionWriter.PipelinePuid(t2.DecisionId!.Value))).Json);
        Assert.NotNull(interimT2.EndDateVisibilityRestriction);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_account_only_confirmation_lifts_the_interim_restriction_and_ends_its_statement(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await ActivateEscalationRuleAsync(core);
        await UploadAsync(core, "t3", "acct-t3", Escalating);
        await RunAsync(core);
        var decisions = core.Get<ReviewDecisionService>();
        var t3 = await CaseOfAsync(core, "t3");
        var claim = await ClaimAsync(core, t3.Id, Sam);
        var request = Violation(claim, "VE-THREAT", actions: ["account.strike"]);

        // The preview says that the content is shown again: the reviewer chose no content measure.
        var preview = (await decisions.PreviewAsync(request, Sam, default)).Value!;
        Assert.Contains(preview.Noted, n => n.Code == RestrictionCodes.InterimLifted);
        Assert.True(preview.EndsInterim);
        Assert.Equal(0, preview.ContentRestrictions);
        var done = await decisions.DecideAsync(request, Sam, default);
        Assert.True(done.Ok, done.Message);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        // Before: the content stayed hidden, and its statement said "until a reviewer decides", after the reviewer had decided.
        Assert.Equal([("content.restrict", "t3"), ("content.restore", "t3"), ("account.strike", "acct-t3")],
            (await db.Set<ActionRow>().OrderBy(a => a.Id).Select(a => new { a.Kind, a.TargetId }).ToListAsync()).Select(a => (a.Kind, a.TargetId)));
        var restore = await db.Set<ActionRow>().SingleAsync(a => a.Kind == Measures.ContentRestore);
        Assert.Contains("\"interim\":\"lifted\"", restore.DetailsJson);
        var interim = StatementOfReasons.FromJson((await db.Set<StatementRow>().SingleAsync(r => r.Puid == RestrictionWriter.PipelinePuid(t3.DecisionId!.Value))).Json);
        Assert.Equal(SorVocabulary.InterimRestriction, interim.DecisionVisibilityOther);
        Assert.NotNull(interim.EndDateVisibilityRestriction);
        Assert.Empty(SorValidator.Validate(interim));
        // The decision no longer enforces the interim restriction, so an appeal has no content to restore; the strike stands.
        var decision = await db.Decisions.SingleAsync(d => d.Id == t3.DecisionId);
        Assert.DoesNotContain("content.restrict", decision.ActionsJson);
        Assert.Contains("account.strike", decision.ActionsJson);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Restricting_on_escalation_is_configured_per_queue_and_applies_to_a_reviewers_escalation(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider, extra: new() { ["Bulwark:Review:Queues:threat-to-life:RestrictOnEscalation"] = "false", ["Bulwark:Review:Queues:urgent:RestrictOnEscalation"] = "true" });
        await ActivateEscalationRuleAsync(core);
        await UploadAsync(core, "t1", "acct-t1", Escalating);
        await UploadAsync(core, "r1", "acct-r1", Reviewable);
        await RunAsync(core);
        var r1 = await CaseOfAsync(core, "r1");
        var escalated = await core.Get<ReviewDecisionService>().DecideAsync(
            new ReviewDecisionRequest(r1.Id, (await ClaimAsync(core, r1.Id, Alice)).Token, ReviewVerdict.Escalate, null, null, null, "looks urgent", "esc-1", EscalateTo: "urgent"), Alice, default);
        Assert.True(escalated.Ok, escalated.Message);
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(["r1"], await db.Set<ActionRow>().Where(a => a.Kind == Measures.ContentRestrict).Select(a => a.TargetId).ToListAsync());
        // A reviewer's escalation that hides the content records the interim statement too.
        var statement = StatementOfReasons.FromJson((await db.Set<StatementRow>().SingleAsync(r => r.Puid == RestrictionWriter.InterimPuid(r1.DecisionId!.Value))).Json);
        Assert.Equal(SorVocabulary.InterimRestriction, statement.DecisionVisibilityOther);
        Assert.Equal("AUTOMATED_DECISION_PARTIALLY", statement.AutomatedDecision);
    }

    private const string Escalating = "synthetic-threat-to-life";

    private static async Task ActivateEscalationRuleAsync(CoreServices core)
    {
        var files = ShippedPolicy.Rules().Select(r => new RuleFile(r.Name, r.Text)).ToList();
        files.Add(new RuleFile("escalate.rules",
            $"rule synthetic-escalation enforce {{\n  policy VE-THREAT\n  when any hash.match[label \"{Escalating}\"]\n  then escalate \"threat-to-life\" priority high\n  explain \"A synthetic threat to life\"\n}}\n"));
        var change = await core.Get<PolicyStore>().ActivateAsync(files, "policy-admin", default);
        Assert.True(change.Applied, string.Join("\n", change.Errors));
    }
}
