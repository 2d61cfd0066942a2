using Bulwark.Core.Actions.Review;
using Bulwark.Core.Storage;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using static Bulwark.Tests.Review.ReviewScenario;

namespace Bulwark.Tests.Review;

/// <summary>Cases opened by pipeline decisions, their order within a queue, the dashboard and exclusive claims.</summary>
public class ReviewQueueTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Review_and_escalate_decisions_open_cases_ranked_by_source_severity_confidence_reach_and_age(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await UploadAsync(core, "up-small", "acct-1", Reviewable, "upload", views: 10);
        core.Clock.Advance(TimeSpan.FromMinutes(1));
        await UploadAsync(core, "up-big", "acct-2", Reviewable, "upload", views: 5000);
        await UploadAsync(core, "report", "acct-3", Reviewable, "user_report", views: 3);
        await UploadAsync(core, "flagger", "acct-4", Reviewable, "trusted_flagger", views: 0);
        await UploadAsync(core, "threat", "acct-5", Imminent, "upload", views: 1);
        await RunAsync(core);
        // Same severity, confidence and reach: the older comes first.
        await UploadAsync(core, "up-small-later", "acct-6", Reviewable, "upload", views: 10);
        await RunAsync(core);

        var queues = core.Get<ReviewQueueService>();
        var page = (await queues.ListAsync("known-content", null, 50, default)).Value!;
        Assert.Equal(["flagger", "report", "up-big", "up-small", "up-small-later"], page.Items.Select(i => i.ContentId));
        Assert.Null(page.NextCursor);
        var first = page.Items[0];
        Assert.Equal((ReviewCaseKind.Content, "VE-GLORIFY", "trusted_flagger", 1.0, 2), (first.Kind, first.Policy, first.Source, first.Confidence, 2));
        Assert.Equal(first.CreatedAt.AddHours(4), first.DueAt);
        Assert.Equal(5000, page.Items[2].Reach);

        // Keyset pages give the same order.
        var p1 = (await queues.ListAsync("known-content", null, 2, default)).Value!;
        var p2 = (await queues.ListAsync("known-content", p1.NextCursor, 2, default)).Value!;
        var p3 = (await queues.ListAsync("known-content", p2.NextCursor, 2, default)).Value!;
        Assert.Equal(page.Items.Select(i => i.Id), p1.Items.Concat(p2.Items).Concat(p3.Items).Select(i => i.Id));
        Assert.Equal(ReviewError.Invalid, (await queues.ListAsync("known-content", "garbage", 2, default)).Error);

        var threat = Assert.Single((await queues.ListAsync("threat-to-life", null, 10, default)).Value!.Items);
        Assert.Equal(("threat", 4, "VE-THREAT"), (threat.ContentId, threat.Severity, threat.Policy));
        Assert.Equal(threat.CreatedAt.AddMinutes(15), threat.DueAt);

        await using var db = core.Get<IBulwarkDbFactory>().Create();
        Assert.Equal(6, await db.Set<ReviewCaseRow>().CountAsync());
        // Each case belongs to its decision.
        var decisions = await db.Decisions.Where(d => d.Outcome == "review" || d.Outcome == "escalate").Select(d => d.Id).ToListAsync();
        Assert.Equal(decisions.Order(), (await db.Set<ReviewCaseRow>().Select(c => c.DecisionId!.Value).ToListAsync()).Order());
    }

    [Fact]
    public void The_sort_key_orders_source_then_severity_confidence_reach_and_age()
    {
        var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        string[] ordered =
        [
            ReviewCases.SortKey("authority_order", 2, 0.1, 0, t.AddDays(1)),
            ReviewCases.SortKey("trusted_flagger", 2, 0.1, 0, t.AddDays(2)),
            ReviewCases.SortKey("partner_alert", 4, 0.1, 0, t),
            ReviewCases.SortKey("user_report", 4, 0.5, 0, t),
            ReviewCases.SortKey("upload", 4, 0.2, 0, t),
            ReviewCases.SortKey("upload", 3, 0.99, 1_000_000_000_000, t),
            ReviewCases.SortKey("upload", 3, 0.99, 10, t),
            ReviewCases.SortKey("upload", 3, 0.99, 9, t),
            ReviewCases.SortKey(null, 3, 0.99, 9, t.AddTicks(1)),
        ];
        Assert.Equal(ordered, ordered.Order(StringComparer.Ordinal));
        Assert.All(ordered, k => Assert.Equal(ordered[0].Length, k.Length));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Claims_are_exclusive_expire_renew_release_and_claim_next_takes_the_best_unclaimed(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await UploadAsync(core, "a", "acct-1", Reviewable, "trusted_flagger");
        await UploadAsync(core, "b", "acct-2", Reviewable, "upload");
        await UploadAsync(core, "t", "acct-3", Imminent);
        await RunAsync(core);
        var queues = core.Get<ReviewQueueService>();
        var caseA = await CaseOfAsync(core, "a");

        var next = await queues.ClaimNextAsync("known-content", Alice, default);
        Assert.Equal(caseA.Id, next.Value!.CaseId);
        var taken = await queues.ClaimAsync(caseA.Id, Bob, default);
        Assert.Equal(ReviewError.Stale, taken.Error);
        Assert.Contains("claimed by alice", taken.Message);
        // Bob's claim-next skips Alice's case.
        var bobs = (await queues.ClaimNextAsync("known-content", Bob, default)).Value!;
        Assert.Equal((await CaseOfAsync(core, "b")).Id, bobs.CaseId);
        Assert.Equal(ReviewError.Empty, (await queues.ClaimNextAsync("known-content", Lea, default)).Error);

        // A moderator may not work threat-to-life; a senior moderator may.
        var t = await CaseOfAsync(core, "t");
        var refused = await queues.ClaimAsync(t.Id, Alice, default);
        Assert.Equal(ReviewError.Forbidden, refused.Error);
        Assert.Contains("senior-moderator", refused.Message);
        Assert.Equal(ReviewError.Forbidden, (await queues.ClaimNextAsync("threat-to-life", Audrey, default)).Error);
        Assert.True((await queues.ClaimNextAsync("threat-to-life", Sam, default)).Ok);

        // Renewing moves the expiry; claiming again as the holder keeps the token.
        core.Clock.Advance(TimeSpan.FromMinutes(10));
        var renewed = (await queues.RenewAsync(caseA.Id, next.Value.Token, Alice, default)).Value!;
        Assert.Equal(core.Clock.GetUtcNow().AddMinutes(15), renewed.ExpiresAt);
        Assert.Equal(next.Value.Token, (await queues.ClaimAsync(caseA.Id, Alice, default)).Value!.Token);

        // After expiry, the case is free: Bob takes it and Alice's renewal says her claim expired.
        core.Clock.Advance(TimeSpan.FromMinutes(16));
        var dash = (await queues.DashboardAsync(Alice, default)).Single(d => d.Queue == "known-content");
        Assert.Equal((2, 0), (dash.Depth, dash.Claimed));
        var bobTakes = await queues.ClaimAsync(caseA.Id, Bob, default);
        Assert.True(bobTakes.Ok);
        var late = await queues.RenewAsync(caseA.Id, next.Value.Token, Alice, default);
        Assert.Equal(ReviewError.Stale, late.Error);
        Assert.Contains("now claimed by bob", late.Message);

        // Release frees it at once.
        Assert.True((await queues.ReleaseAsync(caseA.Id, bobTakes.Value!.Token, Bob, default)).Ok);
        Assert.Equal(caseA.Id, (await queues.ClaimNextAsync("known-content", Lea, default)).Value!.CaseId);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Of_many_users_claiming_one_case_at_once_exactly_one_wins(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        await UploadAsync(core, "contested", "acct-1", Reviewable);
        await RunAsync(core);
        var id = (await CaseOfAsync(core, "contested")).Id;
        var queues = core.Get<ReviewQueueService>();
        var users = Enumerable.Range(0, 12).Select(i => new ReviewUser($"mod{i}", Bulwark.Core.Security.ConsoleRoles.Moderator)).ToList();
        var results = await Task.WhenAll(users.Select((u, i) => Task.Run(() => i % 2 == 0 ? queues.ClaimAsync(id, u, default) : queues.ClaimNextAsync("known-content", u, default))));
        var winner = Assert.Single(results, r => r.Ok);
        Assert.All(results.Where(r => !r.Ok), r => Assert.True(r.Error is ReviewError.Stale or ReviewError.Empty, r.Message));
        await using var db = core.Get<IBulwarkDbFactory>().Create();
        var stored = await db.Set<ReviewCaseRow>().SingleAsync();
        Assert.Equal((winner.Value!.UserName, winner.Value.Token), (stored.ClaimedBy!, stored.ClaimToken!));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_dashboard_counts_depth_oldest_breaches_and_claims_per_queue(DatabaseProvider provider)
    {
        await using var core = await CreateAsync(provider);
        var start = core.Clock.GetUtcNow();
        await UploadAsync(core, "k1", "acct-1", Reviewable);
        await UploadAsync(core, "t1", "acct-2", Imminent);
        await RunAsync(core);
        core.Clock.Advance(TimeSpan.FromMinutes(5));
        await UploadAsync(core, "k2", "acct-3", Reviewable);
        await RunAsync(core);
        await ClaimAsync(core, (await CaseOfAsync(core, "k2")).Id, Alice);
        core.Clock.Advance(TimeSpan.FromMinutes(12)); // threat-to-life (15 min) is now overdue; known-content (4 h) is not

        var rows = await core.Get<ReviewQueueService>().DashboardAsync(Alice, default);
        var known = rows.Single(r => r.Queue == "known-content");
        var ttl = rows.Single(r => r.Queue == "threat-to-life");
        Assert.Equal((2, 0, 1, start, TimeSpan.FromMinutes(17)), (known.Depth, known.Breached, known.Claimed, known.OldestOpenAt!.Value, known.OldestAge!.Value));
        Assert.Equal((1, 1, 0, false), (ttl.Depth, ttl.Breached, ttl.Claimed, ttl.MayWork));
        Assert.True(known.MayWork);
        Assert.Contains(rows, r => r.Queue == "appeals" && r.Depth == 0);
        Assert.True(rows.Select(r => r.Order).SequenceEqual(rows.Select(r => r.Order).Order()));
    }

    [Fact]
    public void Queue_settings_come_from_configuration_over_built_in_defaults_and_unknown_queues_still_work()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bulwark:Review:DefaultSlaMinutes"] = "120",
            ["Bulwark:Review:Queues:glorification:SlaMinutes"] = "30",
            ["Bulwark:Review:Queues:partner-x:Roles:0"] = "legal-officer",
        }).Build();
        var options = config.GetSection(ReviewOptions.Section).Get<ReviewOptions>()!;
        Assert.Equal((30, 3), (options.Queue("glorification").SlaMinutes, options.Queue("glorification").Roles.Count));
        Assert.Equal(120, options.Queue("partner-x").SlaMinutes);
        Assert.Equal(["legal-officer"], options.Queue("partner-x").Roles);
        Assert.Equal(120, options.Queue("never-configured").SlaMinutes);
        Assert.Equal(15, options.Queue("threat-to-life").SlaMinutes);
        Assert.Equal(["senior-moderator"], options.Queue("qa-disagreement").Roles);
        Assert.Empty(options.Validate(new(options)));

        options.Queues["bad"] = new ReviewQueueOptions { Roles = ["auditor"] };
        Assert.Contains(options.Validate(new(options)), v => v.ErrorMessage!.Contains("'auditor'"));
    }
}
