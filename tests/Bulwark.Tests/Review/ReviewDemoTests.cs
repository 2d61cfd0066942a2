using Bulwark.Core.Actions.Review;
using Bulwark.Core.Storage;
using Bulwark.Server.Hosting;
using Bulwark.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.Review;

/// <summary>The demo leaves open cases for the console: an escalated threat and a trusted flagger's report ranked first.</summary>
public class ReviewDemoTests
{
    [Fact]
    public async Task The_demo_leaves_open_cases_in_the_threat_to_life_known_content_glorification_doi_and_appeals_queues()
    {
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite);
        await host.Services.GetRequiredService<DemoSeeder>().SeedAsync(default);
        await host.WaitForStatusAsync("demo-review-threat");
        await host.WaitForStatusAsync("demo-review-flagged");
        await using var db = host.Services.GetRequiredService<IBulwarkDbFactory>().Create();
        var threat = await db.Set<ReviewCaseRow>().SingleAsync(c => c.ContentId == "demo-review-threat");
        Assert.Equal(("threat-to-life", ReviewCaseStatus.Open, 4), (threat.Queue, threat.Status, threat.Severity));
        var page = (await host.Services.GetRequiredService<ReviewQueueService>().ListAsync("known-content", null, 10, default)).Value!;
        Assert.Equal(("demo-review-flagged", "trusted_flagger"), (page.Items[0].ContentId, page.Items[0].Source));

        // Fictional praise of an invented attack, in English and Italian, waits in glorification, ranked by the classifier's
        // confidence and then reach (model 1.4.0 is more confident on the Italian caption, so the order is not the reach order).
        foreach (var item in DemoSeeder.GlorificationItems) await host.WaitForStatusAsync(item.Id);
        var glorification = (await host.Services.GetRequiredService<ReviewQueueService>().ListAsync("glorification", null, 10, default)).Value!;
        Assert.Equal(["demo-glorify-en", "demo-glorify-it"], glorification.Items.Select(i => i.ContentId).Order().ToArray());
        Assert.Equal(glorification.Items.OrderByDescending(i => Math.Round(i.Confidence, 3)).ThenByDescending(i => i.Reach).Select(i => i.ContentId), glorification.Items.Select(i => i.ContentId));

        // A caption naming an invented designated organisation waits in doi; the removed item's synthetic appeal in appeals.
        await host.WaitForStatusAsync(DemoSeeder.DoiItem);
        await host.WaitForStatusAsync(DemoSeeder.AppealedItem);
        Assert.Equal(ReviewCaseStatus.Open, (await db.Set<ReviewCaseRow>().SingleAsync(c => c.ContentId == DemoSeeder.DoiItem && c.Queue == "doi")).Status);
        var seeder = host.Services.GetRequiredService<DemoSeeder>();
        await seeder.SubmitDemoAppealAsync(default);
        await seeder.SubmitDemoAppealAsync(default); // a restart appeals nothing twice
        var appeal = await db.Set<ReviewCaseRow>().SingleAsync(c => c.ContentId == DemoSeeder.AppealedItem && c.Queue == ReviewQueues.Appeals);
        Assert.Equal((ReviewCaseStatus.Open, (string?)null), (appeal.Status, appeal.ExcludedReviewer));
    }
}
