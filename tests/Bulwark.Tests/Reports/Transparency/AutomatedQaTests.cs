using Bulwark.Core.Actions.Review;
using Bulwark.Core.Reports.Transparency;
using Bulwark.Core.Security;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Bulwark.Tests.Reports.Transparency.KnownHistory;

namespace Bulwark.Tests.Reports.Transparency;

/// <summary>The sampler sends automated restrictions to blind QA; a reviewer's verdict there is counted for the detector and undoes nothing.</summary>
public class AutomatedQaTests
{
    [Fact]
    public async Task Sampled_automated_restrictions_are_re_reviewed_blind_and_counted_per_detector()
    {
        await using var core = await CoreServices.CreateAsync(DatabaseProvider.Sqlite, new() { ["Bulwark:Transparency:AutomatedQaSampleRate"] = "1" });
        var h = new KnownHistory(core);
        var rollups = core.Get<TransparencyRollups>();
        h.Advance(At(4, 1, 9));
        await h.AccountAsync("acct-it", "IT");
        await rollups.RunAsync(default); // the first run starts sampling from here on
        await h.UploadAsync("v1", "video", "acct-it", "upload", 0);
        var removal = await h.DecideAsync("v1", "VE-DOI", "doi-known-media", ["hash.pdq = 4"], true, Remove("v1", "VE-DOI"));
        await h.UploadAsync("v2", "video", "acct-it", "upload", 0);
        var second = await h.DecideAsync("v2", "VE-GLORIFY", "glorify-classifier", ["classifier.glorification = 0.9"], true, Remove("v2", "VE-GLORIFY"));
        await h.UploadAsync("v3", "video", "acct-it", "upload", 0);
        await h.DecideAsync("v3", "VE-GLORIFY", "glorify-review", ["classifier.glorification = 0.5"], true); // nothing restricted: not sampled

        Assert.Equal(2, (await rollups.RunAsync(default)).QaCasesOpened);
        Assert.Equal(0, (await rollups.RunAsync(default)).QaCasesOpened); // each decision is sampled once

        var reviews = core.Get<ReviewDecisionService>();
        var queue = core.Get<ReviewQueueService>();
        var qa = new ReviewUser("qa-reviewer", ConsoleRoles.SeniorModerator);
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            var cases = await db.Set<ReviewCaseRow>().Where(c => c.Queue == ReviewQueues.Qa).OrderBy(c => c.DecisionId).ToListAsync();
            Assert.Equal([removal, second], cases.Select(c => c.DecisionId!.Value));
            Assert.All(cases, c => Assert.Null(c.SubjectCaseId));
            foreach (var (c, verdict, policy) in new[] { (cases[0], ReviewVerdict.Violation, "VE-DOI"), (cases[1], ReviewVerdict.NoViolation, (string?)null) })
            {
                var claim = (await queue.ClaimAsync(c.Id, qa, default)).Value!;
                var result = await reviews.DecideAsync(new ReviewDecisionRequest(c.Id, claim.Token, verdict, policy, [], null,
                    verdict == ReviewVerdict.Violation ? "Known logo of an invented group." : "Not a violation.", $"qa-{c.Id}"), qa, default);
                Assert.True(result.Value is not null, result.Message);
            }
        }
        await using (var db = core.Get<IBulwarkDbFactory>().Create())
        {
            Assert.Equal([true, false], await db.Set<ReviewCaseRow>().Where(c => c.Queue == ReviewQueues.Qa).OrderBy(c => c.DecisionId).Select(c => c.QaAgrees!.Value).ToListAsync());
            Assert.Null((await db.Decisions.FirstAsync(d => d.Id == second)).ReversedAt); // measured, not undone
        }

        h.Advance(At(4, 2, 1));
        await rollups.RunAsync(default);
        var facts = await PeriodFacts.LoadAsync(core.Get<IBulwarkDbFactory>(), rollups, new ReportPeriod(new DateOnly(2026, 4, 1), new DateOnly(2026, 4, 1)), default);
        var accuracy = DetectorAccuracy.From(facts, minSamples: 1);
        Assert.Equal(["classifier.glorification:1/0", "known-content:1/1"], accuracy.Select(a => $"{a.Detector}:{a.Samples}/{a.Agreed}"));
    }
}
