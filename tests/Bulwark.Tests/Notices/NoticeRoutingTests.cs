using Bulwark.Core.Actions.Review;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Signals.Entities;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Tests.Notices;

/// <summary>
/// Notices through the whole pipeline: a user report, a trusted flagger's notice, a partner alert or an authority order
/// that no detector flags opens a review case in its queue, instead of ending as "no action" that nobody sees.
/// </summary>
public class NoticeRoutingTests
{
    private const string Benign = "Lovely sunset over the harbour tonight, the fishing boats are coming back in";

    private static async Task RunAsync(CoreServices core)
    {
        var queue = core.Get<IWorkQueue>();
        var batch = await queue.ClaimAsync("test", 100, default);
        var outcome = await core.Get<PipelineProcessor>().ProcessAsync(batch, default);
        Assert.Empty(outcome.Failed);
        await queue.CompleteAsync(outcome.Completed, default);
    }

    private static Task Post(CoreServices core, string id, string text, EventSource? source) =>
        core.Get<IngestService>().AcceptOneAsync(new ContentEvent
        {
            Id = id, Kind = "text", Text = text, Language = "en", Account = new AccountRef { Id = "acct-" + id }, Source = source,
        }, null, default);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Notices_that_no_detector_flags_open_a_case_in_their_queue(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        await Post(core, "n-upload", Benign, null);
        await Post(core, "n-report", Benign, new EventSource { Type = "user_report", Reference = "UR-1" });
        await Post(core, "n-flagger", Benign, new EventSource { Type = "trusted_flagger", Reference = "TF-2", Name = "Example Safety Foundation" });
        await Post(core, "n-partner", Benign, new EventSource { Type = "partner_alert", Reference = "PA-3", Name = "Example Partner Network" });
        await Post(core, "n-order", Benign, new EventSource { Type = "authority_order", Reference = "AO-4", Name = "Example Internet Referral Unit" });
        await RunAsync(core);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var decisions = await db.Decisions.AsNoTracking().ToDictionaryAsync(d => d.ContentId);
        var cases = await db.Set<ReviewCaseRow>().AsNoTracking().ToDictionaryAsync(c => c.ContentId);

        // A plain upload that nothing flags still ends as no action, with no case.
        Assert.Equal(Outcomes.NoAction, decisions["n-upload"].Outcome);
        Assert.False(cases.ContainsKey("n-upload"));

        foreach (var (id, source) in new[] { ("n-report", "user_report"), ("n-flagger", "trusted_flagger"), ("n-partner", "partner_alert") })
        {
            var d = decisions[id];
            Assert.Equal((Outcomes.Review, "notices", "low"), (d.Outcome, d.Queue, d.Priority));
            Assert.Equal("[]", d.ActionsJson);
            var c = cases[id];
            Assert.Equal(("notices", ReviewCaseStatus.Open, source, d.Id), (c.Queue, c.Status, c.Source, c.DecisionId));
            Assert.Equal(c.CreatedAt + TimeSpan.FromHours(24), c.DueAt);
        }
        // A notice is not a finding: no policy is named before review, nothing is restricted and no statement of reasons
        // (which would claim a violation) exists; the case offers no policy until the reviewer picks one (issue 17).
        foreach (var id in new[] { "n-report", "n-flagger", "n-partner", "n-order" })
        {
            Assert.Null(decisions[id].Policy);
            Assert.Null(cases[id].Policy);
            Assert.StartsWith("No policy named before review: review", decisions[id].Explanation);
            Assert.DoesNotContain("VE-", decisions[id].Explanation);
            Assert.DoesNotContain("\"VE-", decisions[id].RulesJson);
        }
        Assert.Equal(0, await db.Set<Bulwark.Core.Records.StatementsOfReasons.StatementRow>().CountAsync());
        Assert.Contains("A trusted flagger notified the item (Example Safety Foundation), reference TF-2", decisions["n-flagger"].Explanation);
        Assert.Contains("A user reported the item, reference UR-1", decisions["n-report"].Explanation);

        // An authority order goes to its own one-hour queue, which only senior moderators and legal officers work.
        var order = decisions["n-order"];
        Assert.Equal((Outcomes.Review, "authority-orders", "high"), (order.Outcome, order.Queue, order.Priority));
        Assert.Contains("notice-authority-order", order.RulesJson);
        Assert.Contains("An authority ordered action on the item (Example Internet Referral Unit), reference AO-4", order.Explanation);
        Assert.Equal("[]", order.ActionsJson); // nothing is removed before a person has checked the order
        var orderCase = cases["n-order"];
        Assert.Equal(("authority-orders", "authority_order"), (orderCase.Queue, orderCase.Source));
        Assert.Equal(orderCase.CreatedAt + TimeSpan.FromMinutes(60), orderCase.DueAt);
        var settings = core.Get<ReviewOptions>().Queue("authority-orders");
        Assert.False(settings.MayWork(new HashSet<string> { Bulwark.Core.Security.ConsoleRoles.Moderator }));
        Assert.True(settings.MayWork(new HashSet<string> { Bulwark.Core.Security.ConsoleRoles.LegalOfficer }));

        // The notice is stored as a signal the reviewer sees beside the others.
        var signal = await db.Signals.AsNoTracking().SingleAsync(s => s.Type == "notice.received" && s.ContentVersionId == order.ContentVersionId);
        Assert.Equal("authority_order", signal.Value);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_approved_hate_group_named_in_text_reaches_review_with_its_explanation(DatabaseProvider provider)
    {
        await using var core = await CoreServices.CreateAsync(provider);
        var registry = core.Get<EntityRegistry>();
        await core.Get<EntityScreeningService>().EnsureLoadedAsync(default);
        // Invented for the test suite; not a real organisation.
        var created = await registry.CreateAsync(new EntityInput(EntityKinds.Organisation, "Ashen Banner Fellowship", EntityTiers.HatefulOrganisation,
            "TEST: fictional hate group", Notes: "TEST: invented for the test suite; not a real organisation."), "test", default);
        await Post(core, "h-proposed", "The Ashen Banner Fellowship held a rally downtown", null);
        await RunAsync(core);
        await registry.ApproveAsync(created.Id, "test designation", "test", default);
        await Post(core, "h-approved", "The Ashen Banner Fellowship held a rally downtown", null);
        await RunAsync(core);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var decisions = await db.Decisions.AsNoTracking().ToDictionaryAsync(d => d.ContentId);
        // Only approved entries are screened: a proposal reaches nobody.
        Assert.Equal(Outcomes.NoAction, decisions["h-proposed"].Outcome);
        var d = decisions["h-approved"];
        Assert.Equal((Outcomes.Review, "doi", "low", "VE-DOI"), (d.Outcome, d.Queue, d.Priority, d.Policy));
        Assert.Contains("doi-other-organisation-mentioned", d.RulesJson);
        Assert.Contains("An approved violent extremist or hateful organisation is named in the item's text", d.Explanation);
        Assert.Contains("\"Ashen Banner Fellowship\"", d.Explanation);
        Assert.Contains("tier hateful_organisation", d.Explanation);
        Assert.Equal("doi", (await db.Set<ReviewCaseRow>().AsNoTracking().SingleAsync(c => c.ContentId == "h-approved")).Queue);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_transparency_report_counts_a_notice_only_as_what_its_reviewer_found(DatabaseProvider provider)
    {
        // Issue 17: notice routing names no policy, so a notice is never counted as a finding of one. A notice the reviewer
        // finds harmless counts nowhere; one confirmed as a violation counts under the reviewer's policy, on the notice's basis.
        await using var core = await CoreServices.CreateAsync(provider);
        await Post(core, "r-harmless", Benign, new EventSource { Type = "user_report", Reference = "UR-7" });
        await Post(core, "r-confirmed", Benign, new EventSource { Type = "trusted_flagger", Reference = "TF-8", Name = "Example Safety Foundation" });
        await RunAsync(core);
        var review = core.Get<ReviewDecisionService>();
        var harmless = await Review.ReviewScenario.CaseOfAsync(core, "r-harmless");
        var confirmed = await Review.ReviewScenario.CaseOfAsync(core, "r-confirmed");
        var sam = Review.ReviewScenario.Sam;
        Assert.True((await review.DecideAsync(Review.ReviewScenario.NoViolation(await Review.ReviewScenario.ClaimAsync(core, harmless.Id, sam)), sam, default)).Ok);
        var done = await review.DecideAsync(Review.ReviewScenario.Violation(await Review.ReviewScenario.ClaimAsync(core, confirmed.Id, sam)), sam, default);
        Assert.True(done.Ok, done.Message);

        var day = DateOnly.FromDateTime(core.Get<TimeProvider>().GetUtcNow().UtcDateTime);
        var facts = await new Bulwark.Core.Reports.Transparency.DayFolder(core.Get<IBulwarkDbFactory>()).FoldAsync(day, explain: true, default);
        var byRecord = facts.Contributions!.ToLookup(c => c.Record);
        Assert.Empty(byRecord[$"decision:{harmless.DecisionId}"]);
        var counted = byRecord[$"decision:{confirmed.DecisionId}"].ToList();
        Assert.NotEmpty(counted);
        Assert.All(counted, c => Assert.Equal("VE-GLORIFY", c.Policy));
        Assert.Contains(counted, c => c.Metric == Bulwark.Core.Reports.Transparency.TransparencyMetrics.ContentRemoved);
        Assert.Contains(counted, c => c.Metric.StartsWith(Bulwark.Core.Reports.Transparency.TransparencyMetrics.BasisTrustedFlagger, StringComparison.Ordinal));
        Assert.DoesNotContain(counted, c => c.Metric.StartsWith(Bulwark.Core.Reports.Transparency.TransparencyMetrics.BasisOwnInitiative, StringComparison.Ordinal));
        // No restriction anywhere is counted without a policy.
        Assert.DoesNotContain(facts.Contributions!, c => c.Record.StartsWith("decision:", StringComparison.Ordinal) && c.Policy == Bulwark.Core.Reports.Transparency.TransparencyMetrics.None);
    }
}
