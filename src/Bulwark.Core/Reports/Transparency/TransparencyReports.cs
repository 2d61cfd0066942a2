using Bulwark.Core.Policy;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Reports.Transparency;

public sealed record ReportSummary(long Id, string Kind, string Period, int Version, string Status, string Sha256, string CreatedBy, DateTimeOffset CreatedAt,
    string? PublishedBy, DateTimeOffset? PublishedAt, string? ChangeNote, long? Supersedes, IReadOnlyList<string> Files);

/// <summary>One record counted by a metric, and whether the records add up to the rollups.</summary>
public sealed record Explanation(string Metric, string Period, long RollupValue, long RecordsValue, IReadOnlyList<Contribution> Records)
{
    public bool Reconciled => RollupValue == RecordsValue;
}

/// <summary>
/// Produces the three reports from the rollups, explains any metric down to its records, and keeps drafts and published
/// versions (immutable, SHA-256, audited; a second publication of a period is a new version that says what changed).
/// </summary>
public sealed class TransparencyReports(
    IBulwarkDbFactory dbs, TransparencyRollups rollups, DayFolder folder, PolicyStore policies, IAuthorityRecords authorities, INoticeRecords notices,
    ChromiumPdf pdf, TransparencyOptions options, AuditLog audit, QualitativeTexts texts, TimeProvider clock)
{
    public async Task<CgerReport> CgerAsync(ReportPeriod period, CancellationToken ct)
    {
        var facts = await PeriodFacts.LoadAsync(dbs, rollups, period, ct);
        return CgerReport.Build(facts, await policies.GetCatalogueAsync(ct), options, clock.GetUtcNow());
    }

    /// <summary>The report's files; PDFs included when <paramref name="withPdf"/> (Chromium must be installed).</summary>
    public async Task<ReportBundle> BuildAsync(string kind, ReportPeriod period, string? service, bool withPdf, CancellationToken ct)
    {
        var facts = await PeriodFacts.LoadAsync(dbs, rollups, period, ct);
        var catalogue = await policies.GetCatalogueAsync(ct);
        var now = clock.GetUtcNow();
        IReadOnlyList<ReportFile> files = kind switch
        {
            ReportKinds.Cger => CgerReport.Build(facts, catalogue, options, now).Files(facts),
            ReportKinds.Tco => TcoReport.Build(facts, catalogue, await authorities.CountAsync(period, ct), options, now).Files(),
            ReportKinds.Dsa => DsaReport.Build(facts, catalogue, string.IsNullOrWhiteSpace(service) ? options.ServiceName : service.Trim(), options,
                await authorities.CountAsync(period, ct), await notices.CountAsync(period, ct), now, await NextVersionAsync(kind, period, ct),
                await texts.ForPeriodAsync(period, ct)),
            _ => throw new ReportRefusedException(ReportRefusedException.Invalid, $"unknown report kind '{kind}' (cger, dsa or tco)"),
        };
        if (withPdf && kind != ReportKinds.Dsa) files = await pdf.AddPdfsAsync(files, ct);
        return new ReportBundle(kind, period, files);
    }

    /// <summary>Every record a metric counts in the period, folded again from the records, beside the rollups' sum.</summary>
    public async Task<Explanation> ExplainAsync(ReportPeriod period, string metric, CancellationToken ct)
    {
        var facts = await PeriodFacts.LoadAsync(dbs, rollups, period, ct);
        var records = new List<Contribution>();
        for (var d = period.Start; d <= period.End; d = d.AddDays(1))
            records.AddRange((await folder.FoldAsync(d, true, ct)).Contributions!.Where(c => c.Metric == metric));
        var known = facts.Facts.Any(f => f.Metric == metric) || records.Count > 0 || typeof(TransparencyMetrics).GetFields().Any(f => f.IsLiteral && (string?)f.GetRawConstantValue() == metric)
            || metric.Contains(':', StringComparison.Ordinal);
        if (!known) throw new ReportRefusedException(ReportRefusedException.Invalid, $"unknown metric '{metric}' (see the metric column of cger_facts.csv, e.g. content_removed)");
        return new Explanation(metric, period.ToString(), facts.Sum(metric), records.Sum(r => r.Value), records);
    }

    // Publishing.

    /// <summary>Generates a report and stores it as a draft (the next version of its period).</summary>
    public async Task<ReportSummary> CreateDraftAsync(string kind, ReportPeriod period, string? service, string actor, string? changeNote, CancellationToken ct)
    {
        if (period.End < period.Start)
            throw new ReportRefusedException(ReportRefusedException.Invalid, $"the period is inverted: it ends ({period.End:yyyy-MM-dd}) before it starts ({period.Start:yyyy-MM-dd})");
        await using (var check = dbs.Create()) await RefuseOverlapAsync(check, kind, period, null, ct); // before the (costly) build
        var bundle = await BuildAsync(kind, period, service, pdf.Available, ct);
        for (var attempt = 0; ; attempt++)
        {
            await using var db = dbs.Create();
            await using var tx = await dbs.BeginWriteAsync(db, ct);
            await RefuseOverlapAsync(db, kind, period, null, ct);
            var version = await db.Set<TransparencyReportRow>().Where(r => r.Kind == kind && r.PeriodStart == period.Start && r.PeriodEnd == period.End)
                .MaxAsync(r => (int?)r.Version, ct) ?? 0;
            var previous = await db.Set<TransparencyReportRow>().AsNoTracking().Where(r => r.Kind == kind && r.PeriodStart == period.Start && r.PeriodEnd == period.End && r.Status == ReportStatus.Published)
                .OrderByDescending(r => r.Version).FirstOrDefaultAsync(ct);
            if (previous is not null && string.IsNullOrWhiteSpace(changeNote))
                throw new ReportRefusedException(ReportRefusedException.Invalid,
                    $"{kind} {period} is already published (version {previous.Version}); a correction is a new version and must say what changed (change note)");
            var row = new TransparencyReportRow
            {
                Kind = kind, PeriodStart = period.Start, PeriodEnd = period.End, Version = version + 1, Status = ReportStatus.Draft, Sha256 = bundle.ManifestSha256(),
                CreatedBy = actor, CreatedAt = clock.GetUtcNow(), ChangeNote = string.IsNullOrWhiteSpace(changeNote) ? null : changeNote.Trim(), Supersedes = previous?.Id,
            };
            db.Set<TransparencyReportRow>().Add(row);
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateException) when (attempt < 3) { continue; } // another draft took this version number
            db.Set<TransparencyReportFileRow>().AddRange(bundle.Files.Select(f => new TransparencyReportFileRow
            {
                ReportId = row.Id, Name = f.Name, ContentType = f.ContentType, Content = f.Content, Sha256 = ReportBundle.Sha256(f.Content),
            }));
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(db, [new AuditRecord(actor, "transparency.draft_created", $"transparency-report:{row.Id}", null,
                $"{kind} {period} version {row.Version} (draft), sha256 {row.Sha256}", row.ChangeNote)], ct);
            await tx.CommitAsync(ct);
            return await GetAsync(row.Id, ct) ?? throw new InvalidOperationException("The draft vanished.");
        }
    }

    /// <summary>Publishes a draft: from now on it is listed publicly and never changes. Publishing twice is refused.</summary>
    public async Task<ReportSummary> PublishAsync(long id, string actor, CancellationToken ct)
    {
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var row = await db.Set<TransparencyReportRow>().FirstOrDefaultAsync(r => r.Id == id, ct)
            ?? throw new ReportRefusedException(ReportRefusedException.NotFound, $"there is no transparency report {id}");
        if (row.Status == ReportStatus.Published)
            throw new ReportRefusedException(ReportRefusedException.Conflict, $"report {id} was already published on {row.PublishedAt:yyyy-MM-dd HH:mm} UTC by {row.PublishedBy}; a published report never changes — create a new version instead");
        // The stored files must still be the ones hashed at generation.
        var files = await db.Set<TransparencyReportFileRow>().AsNoTracking().Where(f => f.ReportId == id).ToListAsync(ct);
        var manifest = new ReportBundle(row.Kind, new ReportPeriod(row.PeriodStart, row.PeriodEnd), files.Select(f => new ReportFile(f.Name, f.ContentType, f.Content)).ToList()).ManifestSha256();
        if (manifest != row.Sha256) throw new InvalidOperationException($"report {id}'s files no longer match their SHA-256 ({row.Sha256}); it cannot be published");
        // Two drafts of overlapping periods may exist; only one of them may be published.
        await RefuseOverlapAsync(db, row.Kind, new ReportPeriod(row.PeriodStart, row.PeriodEnd), row.Id, ct);
        row.Status = ReportStatus.Published;
        row.PublishedBy = actor;
        row.PublishedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, [new AuditRecord(actor, "transparency.published", $"transparency-report:{id}", ReportStatus.Draft,
            $"{row.Kind} {new ReportPeriod(row.PeriodStart, row.PeriodEnd)} version {row.Version} published, sha256 {row.Sha256}", row.ChangeNote)], ct);
        await tx.CommitAsync(ct);
        return (await GetAsync(id, ct))!;
    }

    public async Task<IReadOnlyList<ReportSummary>> ListAsync(bool publishedOnly, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var q = db.Set<TransparencyReportRow>().AsNoTracking();
        if (publishedOnly) q = q.Where(r => r.Status == ReportStatus.Published);
        var rows = await q.OrderByDescending(r => r.PeriodEnd).ThenBy(r => r.Kind).ThenByDescending(r => r.Version).Take(500).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var names = (await db.Set<TransparencyReportFileRow>().AsNoTracking().Where(f => ids.Contains(f.ReportId)).Select(f => new { f.ReportId, f.Name }).ToListAsync(ct))
            .ToLookup(f => f.ReportId, f => f.Name);
        return rows.Select(r => Summary(r, names[r.Id].Order(StringComparer.Ordinal).ToList())).ToList();
    }

    public async Task<ReportSummary?> GetAsync(long id, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var r = await db.Set<TransparencyReportRow>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (r is null) return null;
        var names = await db.Set<TransparencyReportFileRow>().AsNoTracking().Where(f => f.ReportId == id).Select(f => f.Name).ToListAsync(ct);
        return Summary(r, names.Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>A file of a report; only published reports' files unless <paramref name="includeDrafts"/>.</summary>
    public async Task<ReportFile?> FileAsync(long id, string name, bool includeDrafts, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var published = await db.Set<TransparencyReportRow>().AsNoTracking().AnyAsync(r => r.Id == id && (includeDrafts || r.Status == ReportStatus.Published), ct);
        if (!published) return null;
        var f = await db.Set<TransparencyReportFileRow>().AsNoTracking().FirstOrDefaultAsync(x => x.ReportId == id && x.Name == name, ct);
        return f is null ? null : new ReportFile(f.Name, f.ContentType, f.Content);
    }

    /// <summary>
    /// Refuses a period that overlaps, without being equal to, the period of a published report of the same kind: two
    /// published reports must never count the same day twice (the same period again is a new version instead).
    /// </summary>
    private static async Task RefuseOverlapAsync(BulwarkDbContext db, string kind, ReportPeriod period, long? except, CancellationToken ct)
    {
        var clash = await db.Set<TransparencyReportRow>().AsNoTracking()
            .Where(r => r.Kind == kind && r.Status == ReportStatus.Published && r.Id != (except ?? 0)
                && r.PeriodStart <= period.End && r.PeriodEnd >= period.Start && !(r.PeriodStart == period.Start && r.PeriodEnd == period.End))
            .OrderBy(r => r.PeriodStart).ThenByDescending(r => r.Version).FirstOrDefaultAsync(ct);
        if (clash is null) return;
        var other = new ReportPeriod(clash.PeriodStart, clash.PeriodEnd);
        var first = period.Start > clash.PeriodStart ? period.Start : clash.PeriodStart;
        var last = period.End < clash.PeriodEnd ? period.End : clash.PeriodEnd;
        throw new ReportRefusedException(ReportRefusedException.Conflict,
            $"{kind} {period} overlaps the published {kind} {other} (report {clash.Id}, version {clash.Version}) on {first:yyyy-MM-dd}..{last:yyyy-MM-dd}; " +
            $"choose a period that does not overlap it, or publish a new version of {other} itself");
    }

    private async Task<int> NextVersionAsync(string kind, ReportPeriod period, CancellationToken ct)
    {
        await using var db = dbs.Create();
        return (await db.Set<TransparencyReportRow>().Where(r => r.Kind == kind && r.PeriodStart == period.Start && r.PeriodEnd == period.End).MaxAsync(r => (int?)r.Version, ct) ?? 0) + 1;
    }

    private static ReportSummary Summary(TransparencyReportRow r, IReadOnlyList<string> files) => new(r.Id, r.Kind, new ReportPeriod(r.PeriodStart, r.PeriodEnd).ToString(), r.Version,
        r.Status, r.Sha256, r.CreatedBy, r.CreatedAt, r.PublishedBy, r.PublishedAt, r.ChangeNote, r.Supersedes, files);
}
