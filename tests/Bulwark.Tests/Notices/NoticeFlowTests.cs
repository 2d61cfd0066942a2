using System.Text.Json;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Notices;
using Bulwark.Core.Records.StatementsOfReasons;
using Bulwark.Core.Reports.Transparency;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Bulwark.Tests.Notices.NoticeScenario;
using static Bulwark.Tests.Review.ReviewScenario;

namespace Bulwark.Tests.Notices;

/// <summary>
/// Notice and action (DSA Art. 16) from receipt to the notifier: a notice on content no detector flagged reaches a person,
/// the person's decision reaches the notifier with the means of redress, and the statement of reasons names the notice.
/// </summary>
public class NoticeFlowTests
{
    private static async Task<NoticeRow> NoticeAsync(CoreServices core, long id)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        return await db.Set<NoticeRow>().AsNoTracking().SingleAsync(n => n.Id == id);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_notice_on_content_no_detector_flagged_reaches_a_person_and_the_decision_reaches_the_notifier(DatabaseProvider provider)
    {
        var (core, channel) = await StartAsync(provider);
        await using var _ = core;
        await PostBenignAsync(core, "post-1");
        var notices = core.Get<NoticeService>();

        var r = await notices.SubmitAsync(Notice("post-1"), "api", default);
        Assert.True(r.Ok);
        var receipt = r.Receipt!;
        // Acknowledged at once (Art. 16(4)), and already in a person's queue although the pipeline decided "no action".
        Assert.Equal(NoticeStatus.InReview, receipt.Status);
        Assert.Contains($"notice no. {receipt.Id}", receipt.Acknowledgement);
        var c = await CaseOfAsync(core, "post-1");
        Assert.Equal((NoticeService.Queue, ReviewCaseStatus.Open, NoticeSources.UserReport), (c.Queue, c.Status, c.Source));

        // Nothing is decided before the person decides.
        Assert.Equal(0, await notices.RelayDecisionsAsync(default));
        var claim = await ClaimAsync(core, c.Id, Alice);
        var decided = await core.Get<ReviewDecisionService>().DecideAsync(Violation(claim, "VE-GLORIFY", ["content.remove"]), Alice, default);
        Assert.True(decided.Ok, decided.Message);

        Assert.Equal(1, await notices.RelayDecisionsAsync(default));
        var n = await NoticeAsync(core, receipt.Id);
        Assert.Equal((NoticeStatus.Decided, NoticeOutcome.ActionTaken, "VE-GLORIFY"), (n.Status, n.Outcome, n.Policy));
        Assert.Null(n.OpenKey);
        Assert.Equal(0, await notices.RelayDecisionsAsync(default)); // answered once

        // The outbox sends the acknowledgement and the decision, with the means of redress (Art. 16(5), Art. 20, 21).
        Assert.Equal(2, await core.Get<NotifierDelivery>().SendPendingAsync(default));
        var sent = channel.Sent.ToList();
        Assert.Equal([NotifierMessageKind.Acknowledgement, NotifierMessageKind.Decision], sent.Select(m => m.Kind));
        Assert.All(sent, m => Assert.Equal("notifier@example.org", m.Recipient));
        var decision = sent[1].Body;
        Assert.Contains("acted on it", decision);
        Assert.Contains("VE-GLORIFY", decision);
        Assert.Contains("https://social.example/complaints", decision);
        Assert.Contains("DSA Art. 20", decision);
        Assert.Contains("DSA Art. 21", decision);
        Assert.Contains("A person took this decision", decision);
        Assert.Equal(0, await core.Get<NotifierDelivery>().SendPendingAsync(default));

        // The statement of reasons says the restriction followed a notice (the content itself came as an upload).
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var statement = await db.Set<StatementRow>().AsNoTracking().SingleAsync(s => s.DecisionId == c.DecisionId);
        var sor = JsonSerializer.Deserialize<StatementOfReasons>(statement.Json)!;
        Assert.Equal("SOURCE_ARTICLE_16", sor.SourceType);
        Assert.Null(sor.SourceIdentity); // a private notifier is never named
        Assert.Contains(await db.AuditEntries.AsNoTracking().Select(a => a.Action).ToListAsync(), a => a == "notice.answered");
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_no_violation_decision_is_sent_too_and_an_escalation_waits_for_the_case_it_opened(DatabaseProvider provider)
    {
        var (core, _) = await StartAsync(provider);
        await using var __ = core;
        await PostBenignAsync(core, "post-2", "post-3");
        var notices = core.Get<NoticeService>();
        var quiet = (await notices.SubmitAsync(Notice("post-2", language: "it"), "api", default)).Receipt!;
        var escalated = (await notices.SubmitAsync(Notice("post-3"), "api", default)).Receipt!;
        Assert.Contains($"segnalazione n. {quiet.Id}", quiet.Acknowledgement);

        var c2 = await CaseOfAsync(core, "post-2");
        Assert.True((await core.Get<ReviewDecisionService>().DecideAsync(NoViolation(await ClaimAsync(core, c2.Id, Alice)), Alice, default)).Ok);
        var c3 = await CaseOfAsync(core, "post-3");
        var claim = await ClaimAsync(core, c3.Id, Alice);
        var esc = await core.Get<ReviewDecisionService>().DecideAsync(new ReviewDecisionRequest(c3.Id, claim.Token, ReviewVerdict.Escalate, null, null, null,
            "Needs a regional expert.", "esc-1", EscalateTo: "regional-experts"), Alice, default);
        Assert.True(esc.Ok, esc.Message);

        Assert.Equal(1, await notices.RelayDecisionsAsync(default));
        var n2 = await NoticeAsync(core, quiet.Id);
        Assert.Equal(NoticeOutcome.NoAction, n2.Outcome);
        var n3 = await NoticeAsync(core, escalated.Id);
        Assert.Equal(NoticeStatus.InReview, n3.Status);
        Assert.Equal(esc.Value!.FollowUpCaseId, n3.CaseId);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var message = await db.Set<NotifierDeliveryRow>().AsNoTracking().SingleAsync(d => d.NoticeId == quiet.Id && d.Kind == NotifierMessageKind.Decision);
        Assert.Contains("non abbiamo riscontrato violazioni", message.Body);
        Assert.Contains("art. 20 DSA", message.Body);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Bad_notices_are_refused_naming_the_field_and_nothing_is_stored(DatabaseProvider provider)
    {
        var (core, _) = await StartAsync(provider);
        await using var __ = core;
        var notices = core.Get<NoticeService>();
        async Task<string[]> Fields(NoticeSubmission s) => (await notices.SubmitAsync(s, "api", default)).Errors.Select(e => e.Field).ToArray();

        Assert.Equal(["contentId"], await Fields(Notice(null)));
        Assert.Equal(["explanation"], await Fields(Notice("post-1") with { Explanation = "   " }));
        Assert.Equal(["goodFaith"], await Fields(Notice("post-1") with { GoodFaith = null }));
        Assert.Equal(["goodFaith"], await Fields(Notice("post-1") with { GoodFaith = false }));
        Assert.Equal(["url"], await Fields(Notice(null, url: "javascript:alert(1)")));
        Assert.Equal(["notifier.email"], await Fields(Notice("post-1", email: "not an address")));
        Assert.Equal(["contentId"], await Fields(Notice("post 1 with spaces")));
        Assert.Equal(["trustedFlaggerId"], await Fields(Notice("post-1", flagger: 999)));
        Assert.Equal(["explanation"], await Fields(Notice("post-1") with { Explanation = new string('x', NoticeOptions.MaxExplanation + 1) }));

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(0, await db.Set<NoticeRow>().CountAsync());
        Assert.Equal(0, await db.Set<NotifierDeliveryRow>().CountAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_same_notice_sent_100_times_at_once_is_one_notice_and_one_case(DatabaseProvider provider)
    {
        var (core, _) = await StartAsync(provider);
        await using var __ = core;
        await PostBenignAsync(core, "post-4");
        var notices = core.Get<NoticeService>();
        // The same notice by id and by the platform's URL for it (with a tracking query) is the same notice.
        var sends = Enumerable.Range(0, 100).Select(i => notices.SubmitAsync(i % 2 == 0 ? Notice("post-4") : Notice(null, url: $"https://social.example/p/post-4?utm={i}"), "api", default));
        var results = await Task.WhenAll(sends);
        Assert.All(results, r => Assert.True(r.Ok));
        Assert.Single(results.Select(r => r.Receipt!.Id).Distinct());
        Assert.Equal(99, results.Count(r => r.Receipt!.Duplicate));

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var n = await db.Set<NoticeRow>().AsNoTracking().SingleAsync();
        Assert.Equal(99, n.Repeats);
        Assert.Single(await db.Set<ReviewCaseRow>().AsNoTracking().Where(c => c.ContentId == "post-4").ToListAsync());
        Assert.Equal(1, await db.Set<NotifierDeliveryRow>().CountAsync()); // one acknowledgement

        // Another notifier's notice on the same content is its own notice, and joins the same case.
        var other = (await notices.SubmitAsync(Notice("post-4", email: "someone.else@example.org"), "api", default)).Receipt!;
        Assert.False(other.Duplicate);
        Assert.Equal(n.CaseId, (await db.Set<NoticeRow>().AsNoTracking().SingleAsync(x => x.Id == other.Id)).CaseId);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_url_Bulwark_does_not_know_is_kept_and_matched_when_the_content_arrives(DatabaseProvider provider)
    {
        var (core, _) = await StartAsync(provider);
        await using var __ = core;
        var notices = core.Get<NoticeService>();
        var early = (await notices.SubmitAsync(Notice(null, url: "https://social.example/p/later-1"), "api", default)).Receipt!;
        var foreign = (await notices.SubmitAsync(Notice(null, url: "https://elsewhere.example/video/77"), "api", default)).Receipt!;
        Assert.Equal(NoticeStatus.AwaitingContent, early.Status);
        Assert.Equal(NoticeStatus.AwaitingContent, foreign.Status);
        Assert.Equal(0, await notices.MatchPendingAsync(default));

        await PostBenignAsync(core, "later-1");
        Assert.Equal(1, await notices.MatchPendingAsync(default));
        var n = await NoticeAsync(core, early.Id);
        Assert.Equal((NoticeStatus.InReview, "later-1"), (n.Status, n.ContentId));
        Assert.Equal(n.CaseId, (await CaseOfAsync(core, "later-1")).Id);
        // A URL of another site stays kept (visible in the console), never dropped.
        Assert.Equal(NoticeStatus.AwaitingContent, (await NoticeAsync(core, foreign.Id)).Status);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_trusted_flaggers_notice_ranks_first_with_its_own_deadline_and_is_named_in_the_statement(DatabaseProvider provider)
    {
        var (core, _) = await StartAsync(provider);
        await using var __ = core;
        await PostBenignAsync(core, "post-a", "post-b", "post-c");
        var flaggers = core.Get<TrustedFlaggers>();
        var flagger = (await flaggers.CreateAsync(new("Example Safety Foundation", "Terrorist content online", "AGCOM (IT)", "desk@safety.example"), "pat", default)).Flagger!;
        var notices = core.Get<NoticeService>();

        await notices.SubmitAsync(Notice("post-a"), "api", default);
        core.Clock.Advance(TimeSpan.FromMinutes(5));
        var flagged = (await notices.SubmitAsync(Notice("post-b", email: null, flagger: flagger.Id), "api", default)).Receipt!;

        var page = await core.Get<ReviewQueueService>().ListAsync(NoticeService.Queue, null, 10, default);
        Assert.Equal(["post-b", "post-a"], page.Value!.Items.Select(i => i.ContentId));
        var b = await CaseOfAsync(core, "post-b");
        Assert.Equal(NoticeSources.TrustedFlagger, b.Source);
        Assert.Equal(b.CreatedAt + TimeSpan.FromHours(4), b.DueAt); // the flaggers' own deadline, not the queue's 24 hours

        // A flagger's notice on content whose case a user's notice opened moves that case to the front.
        await notices.SubmitAsync(Notice("post-c"), "api", default);
        await notices.SubmitAsync(Notice("post-c", email: null, flagger: flagger.Id), "api", default);
        var cCase = await CaseOfAsync(core, "post-c");
        Assert.Equal(NoticeSources.TrustedFlagger, cCase.Source);
        Assert.Equal(core.Clock.GetUtcNow() + TimeSpan.FromHours(4), cCase.DueAt);

        var decided = await core.Get<ReviewDecisionService>().DecideAsync(Violation(await ClaimAsync(core, b.Id, Alice), "VE-GLORIFY", ["content.remove"]), Alice, default);
        Assert.True(decided.Ok, decided.Message);
        Assert.Equal(1, await notices.RelayDecisionsAsync(default));
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var sor = JsonSerializer.Deserialize<StatementOfReasons>((await db.Set<StatementRow>().AsNoTracking().SingleAsync(s => s.DecisionId == b.DecisionId)).Json)!;
        Assert.Equal(("SOURCE_TRUSTED_FLAGGER", "Example Safety Foundation"), (sor.SourceType, sor.SourceIdentity));

        // Accuracy per flagger: one decided, one acted on; one still open.
        var view = (await flaggers.ListAsync(default)).Single();
        Assert.Equal((2, 1, 1, 1), (view.Notices, view.Decided, view.Actioned, view.Open));
        Assert.Equal(1.0, view.Accuracy);
        // Without an address the decision is kept (readable through the API), not sent.
        Assert.Equal(DeliveryStatus.NoAddress, (await db.Set<NotifierDeliveryRow>().AsNoTracking().SingleAsync(d => d.NoticeId == flagged.Id && d.Kind == NotifierMessageKind.Decision)).Status);

        // A suspended flagger's notices are ordinary notices again: refused as a flagger's, with the reason.
        Assert.NotNull((await flaggers.SetStatusAsync(flagger.Id, TrustedFlaggerStatus.Suspended, "Coordinator suspended the status.", "pat", default)).Flagger);
        var refused = await notices.SubmitAsync(Notice("post-a", flagger: flagger.Id), "api", default);
        Assert.Contains("is suspended", Assert.Single(refused.Errors).Message);
        Assert.Equal(["flagger.added", "flagger.status"], await db.AuditEntries.AsNoTracking().Where(a => a.Action.StartsWith("flagger.")).OrderBy(a => a.Seq).Select(a => a.Action).ToListAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Repeated_manifestly_unfounded_notices_lead_to_a_warning_then_a_limited_suspension_that_can_be_appealed(DatabaseProvider provider)
    {
        var (core, _) = await StartAsync(provider, new() { ["Bulwark:Notices:WarnAfterUnfounded"] = "2", ["Bulwark:Notices:SuspendAfterUnfounded"] = "3", ["Bulwark:Notices:SuspensionDays"] = "10" });
        await using var __ = core;
        var ids = new[] { "u-1", "u-2", "u-3", "u-4", "u-5" };
        await PostBenignAsync(core, ids);
        var notices = core.Get<NoticeService>();
        var standing = core.Get<NotifierStanding>();
        var decisions = core.Get<ReviewDecisionService>();
        var received = new List<long>();
        foreach (var id in ids.Take(3))
        {
            received.Add((await notices.SubmitAsync(Notice(id, email: "Serial@Example.org"), "api", default)).Receipt!.Id);
            Assert.True((await decisions.DecideAsync(NoViolation(await ClaimAsync(core, (await CaseOfAsync(core, id)).Id, Alice)), Alice, default)).Ok);
        }
        await notices.RelayDecisionsAsync(default);

        Assert.Equal(StandingError.Invalid, (await standing.MarkUnfoundedAsync(received[0], "sam", " ", default)).Error);
        var first = await standing.MarkUnfoundedAsync(received[0], "sam", "Reports a sunset as terrorism.", default);
        Assert.True(first.Ok);
        Assert.Null(first.Measure);
        Assert.Equal(StandingError.Conflict, (await standing.MarkUnfoundedAsync(received[0], "sam", "again", default)).Error);
        var warning = (await standing.MarkUnfoundedAsync(received[1], "sam", "Same pattern.", default)).Measure!;
        Assert.Equal(NotifierMeasureKind.Warning, warning.Kind);
        var suspension = (await standing.MarkUnfoundedAsync(received[2], "sam", "Same pattern.", default)).Measure!;
        Assert.Equal((NotifierMeasureKind.Suspension, core.Clock.GetUtcNow().AddDays(10)), (suspension.Kind, suspension.Until));

        // While suspended, the notifier's notices are kept but not processed (no case), and the answer says until when.
        var kept = (await notices.SubmitAsync(Notice("u-4", email: "serial@example.org"), "api", default)).Receipt!;
        Assert.Equal((NoticeStatus.NotProcessed, suspension.Until), (kept.Status, kept.SuspendedUntil));
        Assert.Contains("suspended until", kept.Acknowledgement);
        await using (var read = core.Get<IBulwarkDbFactory>().Create())
            Assert.False(await read.Set<ReviewCaseRow>().AnyAsync(c => c.ContentId == "u-4"));

        // Time-limited: after it ends, notices are processed again.
        core.Clock.Advance(TimeSpan.FromDays(10) + TimeSpan.FromMinutes(1));
        Assert.Equal(NoticeStatus.InReview, (await notices.SubmitAsync(Notice("u-5", email: "serial@example.org"), "api", default)).Receipt!.Status);

        // Appealable: the notifier contests, a person lifts it; both recorded.
        Assert.Equal(StandingError.Conflict, (await standing.DecideAppealAsync(suspension.Id, true, "no appeal yet", "pat", default)).Error);
        Assert.True((await standing.AppealAsync(suspension.Id, "I report in good faith.", "apikey:platform", default)).Ok);
        var lifted = await standing.DecideAppealAsync(suspension.Id, true, "The notices were mistaken, not abusive.", "pat", default);
        Assert.Equal(("lifted", core.Clock.GetUtcNow()), (lifted.Measure!.AppealOutcome, lifted.Measure.LiftedAt));

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var actions = await db.AuditEntries.AsNoTracking().Where(a => a.Action.StartsWith("notifier.")).OrderBy(a => a.Seq).Select(a => a.Action).ToListAsync();
        Assert.Equal(["notifier.warning", "notifier.suspension", "notifier.appealed", "notifier.appeal_decided"], actions);
        var kinds = await db.Set<NotifierDeliveryRow>().AsNoTracking().Select(d => d.Kind).ToListAsync();
        Assert.Contains(NotifierMessageKind.Warning, kinds);
        Assert.Contains(NotifierMessageKind.Suspension, kinds);

        // The DSA report counts the notices and the suspension.
        var day = DateOnly.FromDateTime(core.Clock.GetUtcNow().UtcDateTime);
        var counts = await core.Get<INoticeRecords>().CountAsync(new ReportPeriod(day.AddDays(-30), day), default);
        Assert.Equal(5, counts["notices"]);
        Assert.Equal(5, counts["notices:TOTAL"]);
        Assert.Equal(0, counts["notices_actioned:TOTAL"]);
        Assert.Equal(1, counts["suspended_notifiers"]);
        Assert.DoesNotContain("No records of this kind yet", counts.Context);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task A_failed_send_is_retried_after_a_backoff_and_nothing_is_lost(DatabaseProvider provider)
    {
        var (core, channel) = await StartAsync(provider);
        await using var __ = core;
        channel.FailuresLeft = 2;
        await core.Get<NoticeService>().SubmitAsync(Notice("not-yet-known"), "api", default);
        var delivery = core.Get<NotifierDelivery>();
        Assert.Equal(0, await delivery.SendPendingAsync(default));
        Assert.Equal(0, await delivery.SendPendingAsync(default)); // not due yet: 5 s backoff
        core.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, await delivery.SendPendingAsync(default));
        core.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await delivery.SendPendingAsync(default));
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var row = await db.Set<NotifierDeliveryRow>().AsNoTracking().SingleAsync();
        Assert.Equal((DeliveryStatus.Sent, 3, "test"), (row.Status, row.Attempts, row.Channel));
        Assert.Single(channel.Sent);
    }
}
