using Bulwark.Core.Ingest;
using Bulwark.Core.Reports.Research;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Hosting;

/// <summary>
/// A demo research project (approved, every dataset granted, a low daily quota so hitting it is easy to try) and synthetic
/// public content by adult demo accounts for it to query. Its member gets fresh credentials at every start, printed in the banner.
/// </summary>
public sealed class DemoResearch(IBulwarkDbFactory dbs, ResearchProjects projects, IngestService ingest, TimeProvider clock)
{
    public const string ProjectTitle = "DEMO: synthetic study of moderation of public content";
    public const int DemoDailyRequests = 50;

    public async Task<(string ClientId, string ClientSecret)> SeedAsync(CancellationToken ct)
    {
        long projectId;
        await using (var db = dbs.Create())
            projectId = await db.Set<ResearchProjectRow>().Where(p => p.Title == ProjectTitle).Select(p => p.Id).FirstOrDefaultAsync(ct);
        if (projectId == 0)
        {
            await SeedContentAsync(ct);
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var all = ResearchCatalogue.All.ToDictionary(d => d.Name, d => (IReadOnlyList<string>)d.Fields.Select(f => f.Name).ToList());
            var applied = await projects.ApplyAsync(new ResearchApplication(
                ProjectTitle, "DEMO University (fictional)", "Demo Researcher", "researcher@demo.invalid",
                "DEMO: no funding or instruction from any platform; fictional declaration.", "DEMO: fictional public grant",
                "DEMO: how moderation outcomes vary by region and language on synthetic data.", "DEMO: access from a secured workstation only.",
                "A fictional project showing the researcher API on synthetic data.", all, today, today.AddYears(1)), DemoUsers.Actor, ct);
            var decided = await projects.DecideAsync(applied.Value, new ProjectDecision(ProjectDecisions.Approve, "DEMO: approved for the demo.",
                DailyRequests: DemoDailyRequests), DemoUsers.Actor, ct);
            if (!decided.Ok) throw new InvalidOperationException("Demo research project: " + string.Join("; ", decided.Errors.Select(e => $"{e.Field} {e.Message}")));
            projectId = applied.Value;
        }
        // Fresh credentials every start: the printed ones always work, an old printout never does.
        foreach (var m in await projects.MembersAsync(projectId, ct))
            if (m.RevokedAt is null) await projects.RevokeMemberAsync(m.ClientId, "demo restart", DemoUsers.Actor, ct);
        var member = await projects.AddMemberAsync(projectId, "Demo Researcher", DemoUsers.Actor, ct);
        return (member.Value!.ClientId, member.Value.ClientSecret);
    }

    /// <summary>Synthetic public captions by adult demo accounts over the last days, in a few regions and languages.</summary>
    private async Task SeedContentAsync(CancellationToken ct)
    {
        string[] regions = ["IT", "IT", "IT", "GB", "GB", "DE", "FR"];
        string[] kinds = ["video", "video", "text", "comment", "image"];
        var now = clock.GetUtcNow();
        var events = new List<ContentEvent>();
        for (var i = 0; i < 60; i++)
        {
            var region = regions[i % regions.Length];
            events.Add(new ContentEvent
            {
                Id = $"demo-research-{i:D3}", Kind = kinds[i % kinds.Length], Visibility = i % 10 == 9 ? "private" : "public",
                Account = new AccountRef { Id = $"demo-research-acct-{i % 6}", Adult = i % 6 != 5 },
                Text = $"DEMO: synthetic public caption {i} about {(i % 3 == 0 ? "cooking" : i % 3 == 1 ? "football" : "travel")}",
                Hashtags = [i % 3 == 0 ? "cooking" : i % 3 == 1 ? "football" : "travel", "demo"],
                Language = region == "IT" ? "it" : region == "DE" ? "de" : region == "FR" ? "fr" : "en", Region = region,
                CreatedAt = now.AddDays(-(i % 20)).AddHours(-(i % 7)), ViewCount = 100 + i * 37,
            });
        }
        await ingest.AcceptManyAsync(events, ct);
    }
}
