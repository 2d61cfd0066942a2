using Bulwark.Core.Reports.Transparency;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Hosting;

/// <summary>
/// <c>--demo</c>: a synthetic quarter of enforcement history (the last complete calendar quarter, ~60 uploads a day, ids
/// <c>synthetic-…</c>), its rollups, and a CGER for it published as the demo policy admin, so <c>/transparency</c> lists a
/// report with charts. Runs after start-up (in the background), once per database.
/// </summary>
public sealed class DemoTransparency(IBulwarkDbFactory dbs, SyntheticHistory history, TransparencyRollups rollups, TransparencyReports reports, TimeProvider clock,
    ILogger<DemoTransparency> log)
{
    public const string Publisher = "demo-policy-admin";

    public static ReportPeriod LastQuarter(DateTimeOffset now)
    {
        var d = DateOnly.FromDateTime(now.UtcDateTime);
        var quarterStart = new DateOnly(d.Year, (d.Month - 1) / 3 * 3 + 1, 1);
        return new ReportPeriod(quarterStart.AddMonths(-3), quarterStart.AddDays(-1));
    }

    public async Task SeedAsync(CancellationToken ct)
    {
        await using (var db = dbs.Create())
            if (await db.ContentItems.AnyAsync(i => i.Id.StartsWith("synthetic-"), ct)) return;
        var now = clock.GetUtcNow();
        var quarter = LastQuarter(now);
        var written = await history.WriteAsync(quarter.Start, quarter.Days, 60, now, seed: 2026, ct: ct);
        await rollups.RunAsync(ct);
        var draft = await reports.CreateDraftAsync(ReportKinds.Cger, quarter, null, Publisher, null, ct);
        await reports.PublishAsync(draft.Id, Publisher, ct);
        await reports.CreateDraftAsync(ReportKinds.Dsa, quarter, null, Publisher, null, ct);
        log.LogInformation("Demo transparency: synthetic history for {Period} ({Uploads} uploads, {Decisions} decisions, {Appeals} appeals); CGER published, DSA draft ready.",
            quarter, written.Uploads, written.Decisions, written.Appeals);
    }
}
