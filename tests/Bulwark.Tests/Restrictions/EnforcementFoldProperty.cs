using System.Globalization;
using Bulwark.Core.Actions;
using Bulwark.Core.Actions.Restrictions;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Policy.Appeals;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.EntityFrameworkCore;
using static Bulwark.Tests.Review.ReviewScenario;

namespace Bulwark.Tests.Restrictions;

/// <summary>
/// The platform ends up where Bulwark says the account is: for random sequences of pipeline decisions, confirmations, bulk
/// decisions and appeal outcomes on an account, the enforcement state (<see cref="EnforcementService.GetAsync"/>, behind
/// <c>GET /api/v1/accounts/{id}/enforcement</c>) equals the fold of the pull feed's actions for that account.
/// </summary>
public class EnforcementFoldProperty
{
    private enum Op { PipelineRemoval, PipelineReview, Confirm, Bulk, AppealReversed, AppealUpheld }

    private static readonly Gen<List<Op>> Sequences =
        Gen.Choose(3, 8).SelectMany(n => Gen.ListOf(Gen.Elements(Enum.GetValues<Op>()), n).Select(l => l.ToList()));

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_enforcement_state_equals_the_fold_of_the_actions_sent(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        // Seeded: a failure names its sequence and replays the same way.
        var cases = Gen.Sample(Sequences, 9, new Rnd(20261207UL, 0x9E3779B97F4A7C15UL), 8).ToList();
        var uploads = 0;
        for (var k = 0; k < cases.Count; k++)
        {
            var account = $"acct-fold-{k}";
            foreach (var op in cases[k])
            {
                await ApplyAsync(core, op, account, () => $"f{k}-{uploads++}");
                var state = await core.Get<EnforcementService>().GetAsync(account, default);
                var fold = await FoldAsync(core, account);
                Assert.True((state.Banned, state.Suspended, Math.Round(state.ActiveStrikeWeight, 6)) == (fold.Banned, fold.Suspended, Math.Round(fold.Weight, 6)),
                    $"after {string.Join(", ", cases[k])} (at {op}) on {account}: Bulwark says banned={state.Banned} suspended={state.Suspended} weight={state.ActiveStrikeWeight}; " +
                    $"the feed leaves banned={fold.Banned} suspended={fold.Suspended} weight={fold.Weight}");
            }
        }
    }

    private static async Task ApplyAsync(CoreServices core, Op op, string account, Func<string> nextId)
    {
        var decisions = core.Get<ReviewDecisionService>();
        switch (op)
        {
            case Op.PipelineRemoval: // VE-INSTRUCT: removed and struck (weight 3) by the pipeline
                await UploadAsync(core, nextId(), account, Appeals.EnforcementScenario.Instruction);
                await RunAsync(core);
                break;
            case Op.PipelineReview: // a hash match sent to review (VE-GLORIFY)
                await UploadAsync(core, nextId(), account, Reviewable);
                await RunAsync(core);
                break;
            case Op.Confirm:
                if (await OpenCasesAsync(core, account) is not [var first, ..]) break;
                var claim = await ClaimAsync(core, first, Sam);
                var request = Violation(claim);
                // The person reads the preview and confirms what it shows, consequences included.
                var plan = (await decisions.PreviewAsync(request, Sam, default)).Value!;
                var done = await decisions.DecideAsync(request with { Actions = [.. request.Actions!, .. plan.Consequences] }, Sam, default);
                Assert.True(done.Ok, done.Message);
                break;
            case Op.Bulk:
                var open = await OpenCasesAsync(core, account);
                if (open.Count == 0) break;
                var bulk = new BulkReviewRequest(open, ReviewVerdict.Violation, "VE-GLORIFY", ["content.remove", "account.strike"], null, "Same family.", Guid.NewGuid().ToString("N"));
                var (summary, _) = await decisions.PreviewBulkAsync(bulk, Sam, default);
                var result = await decisions.DecideBulkAsync(bulk with { Confirmed = summary }, Sam, default);
                Assert.True(result.Ok, result.Message);
                break;
            case Op.AppealReversed or Op.AppealUpheld:
                var appeals = core.Get<AppealService>();
                if (await AppealableAsync(core, account) is not { } decisionId) break;
                var appeal = (await appeals.SubmitAsync(new NewAppeal(decisionId, null, "Not what it looks like."), "platform", default)).Appeal!;
                var outcome = op == Op.AppealReversed ? AppealOutcome.Reversed : AppealOutcome.Upheld;
                var decided = await appeals.DecideAsync(appeal.Id, new AppealDecisionRequest(outcome, "Reviewed again.", "lea"), null, default);
                Assert.True(decided.Appeal is not null, decided.Message);
                break;
        }
    }

    private static async Task<List<long>> OpenCasesAsync(CoreServices core, string account)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        return await db.Set<ReviewCaseRow>().Where(c => c.AccountId == account && c.Status == ReviewCaseStatus.Open).OrderBy(c => c.Id).Select(c => c.Id).ToListAsync();
    }

    // The latest decision on the account's content that restricted something and has no appeal yet.
    private static async Task<long?> AppealableAsync(CoreServices core, string account)
    {
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var contents = await db.ContentItems.Where(c => c.AccountId == account).Select(c => c.Id).ToListAsync();
        var appealed = await db.Set<AppealRow>().Select(a => a.DecisionId).ToListAsync();
        var candidates = await db.Decisions.Where(d => contents.Contains(d.ContentId) && !appealed.Contains(d.Id)).OrderByDescending(d => d.Id).ToListAsync();
        return candidates.FirstOrDefault(d => AppealReversal.ActionsOf(d).Any(a => AppealReversal.Restrictive.Contains(a.Kind)))?.Id;
    }

    /// <summary>What a platform that applies every action of the pull feed, in order, holds for the account.</summary>
    private static async Task<(bool Banned, bool Suspended, double Weight)> FoldAsync(CoreServices core, string account)
    {
        var feed = core.Get<ActionFeed>();
        bool banned = false, suspended = false;
        var strikes = new Dictionary<string, double>(StringComparer.Ordinal);
        string? cursor = null;
        while (true)
        {
            var page = await feed.PageAsync(cursor, ActionFeed.MaxLimit, default);
            foreach (var a in page.Items.Where(a => a.TargetType == "account" && a.TargetId == account))
                switch (a.Kind)
                {
                    case Measures.AccountBan: banned = true; break;
                    case Measures.AccountSuspend: suspended = true; break;
                    case Measures.AccountLiftBan: banned = false; break;
                    case Measures.AccountLiftSuspension: suspended = false; break;
                    case Measures.AccountReinstate: banned = false; suspended = false; break;
                    case Measures.AccountStrike: strikes[a.Details["strike"]] = double.Parse(a.Details["weight"], CultureInfo.InvariantCulture); break;
                    case Measures.StrikeRemove: strikes.Remove(a.Details["strike"]); break;
                }
            if (!page.HasMore) break;
            cursor = page.NextCursor;
        }
        return (banned, suspended, strikes.Values.Sum());
    }
}
