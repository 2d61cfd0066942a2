using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Signals.Exchange;

/// <summary>A partner as the console and API show it: configuration (never the token), state and counts.</summary>
public sealed record ExchangeView(
    string Name, string Kind, string Bank, bool Enabled, int IntervalMinutes, string Status, string? StatusReason, string? StatusBy, DateTimeOffset? StatusAt,
    string? Checkpoint, DateTimeOffset? LastFetchAt, DateTimeOffset? LastSuccessAt, string? LastError, int Entries, int DeletedEntries, int Alerts,
    int FeedbackSent, int FeedbackPending, int FeedbackFailed, int FloodMaxMatches, int FloodWindowMinutes, int FloodWindowMatches);

public sealed record FetchView(long Id, string Exchange, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string Outcome, bool FullRefetch, int Pages,
    int Created, int Updated, int Deleted, int UnknownDeletes, int Skipped, int Alerts, string? CheckpointBefore, string? CheckpointAfter, string? Error, string? Notes);

/// <summary>Lists partners and pauses or resumes them (audited).</summary>
public sealed class ExchangeAdmin(IBulwarkDbFactory dbs, ExchangeOptions options, TimeProvider clock, AuditLog audit)
{
    public async Task<IReadOnlyList<ExchangeView>> ListAsync(CancellationToken ct)
    {
        await using var db = dbs.Create();
        var states = await db.Set<ExchangeStateRow>().AsNoTracking().ToDictionaryAsync(s => s.Name, ct);
        var items = await db.Set<ExchangeItemRow>().AsNoTracking().GroupBy(i => new { i.Exchange, i.Deleted }).Select(g => new { g.Key.Exchange, g.Key.Deleted, Count = g.Count() }).ToListAsync(ct);
        var alerts = await db.Set<ExchangeAlertRow>().AsNoTracking().GroupBy(a => a.Exchange).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var feedback = await db.Set<ExchangeFeedbackRow>().AsNoTracking().GroupBy(f => new { f.Exchange, f.Status }).Select(g => new { g.Key.Exchange, g.Key.Status, Count = g.Count() }).ToListAsync(ct);
        return options.Partners.Select(p =>
        {
            var s = states.GetValueOrDefault(p.Name);
            int F(string status) => feedback.Where(f => f.Exchange == p.Name && f.Status == status).Sum(f => f.Count);
            return new ExchangeView(p.Name, p.Kind, p.Bank, p.Enabled, p.IntervalMinutes, s?.Status ?? ExchangeStatus.Active, s?.StatusReason, s?.StatusBy, s?.StatusAt,
                s?.Checkpoint, s?.LastFetchAt, s?.LastSuccessAt, s?.LastError,
                items.Where(i => i.Exchange == p.Name && !i.Deleted).Sum(i => i.Count), items.Where(i => i.Exchange == p.Name && i.Deleted).Sum(i => i.Count),
                alerts.GetValueOrDefault(p.Name), F(FeedbackStatus.Sent), F(FeedbackStatus.Pending), F(FeedbackStatus.Failed),
                p.FloodMaxMatches, p.FloodWindowMinutes, s?.FloodWindowMatches ?? 0);
        }).ToList();
    }

    public async Task<ExchangeView> GetAsync(string name, CancellationToken ct) =>
        (await ListAsync(ct)).FirstOrDefault(v => v.Name == name) ?? throw new KeyNotFoundException($"No exchange partner named '{name}' is configured.");

    public async Task<IReadOnlyList<FetchView>> FetchesAsync(string? name, int limit, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var q = db.Set<ExchangeFetchRow>().AsNoTracking();
        if (name is not null) q = q.Where(f => f.Exchange == name);
        return (await q.OrderByDescending(f => f.Id).Take(limit).ToListAsync(ct)).Select(f => new FetchView(f.Id, f.Exchange, f.StartedAt, f.FinishedAt, f.Outcome, f.FullRefetch,
            f.Pages, f.Created, f.Updated, f.Deleted, f.UnknownDeletes, f.Skipped, f.Alerts, f.CheckpointBefore, f.CheckpointAfter, f.Error, f.Notes)).ToList();
    }

    /// <summary>Pauses a partner: it is not fetched until resumed. Its entries still match as before.</summary>
    public Task<ExchangeView> PauseAsync(string name, string? reason, string actor, CancellationToken ct) => SetAsync(name, ExchangeStatus.Paused, reason, actor, ct);

    /// <summary>Resumes a partner paused by a person or by the flood guard; the flood window starts again.</summary>
    public Task<ExchangeView> ResumeAsync(string name, string? reason, string actor, CancellationToken ct) => SetAsync(name, ExchangeStatus.Active, reason, actor, ct);

    private async Task<ExchangeView> SetAsync(string name, string status, string? reason, string actor, CancellationToken ct)
    {
        if (options.Find(name) is null) throw new KeyNotFoundException($"No exchange partner named '{name}' is configured.");
        if (reason is { Length: > 1000 }) throw new ArgumentException("reason must be at most 1000 characters.", nameof(reason));
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var s = await db.Set<ExchangeStateRow>().FirstOrDefaultAsync(x => x.Name == name, ct);
        if (s is null) { s = new ExchangeStateRow { Name = name }; db.Set<ExchangeStateRow>().Add(s); }
        var before = s.Status;
        if (before != status)
        {
            var now = clock.GetUtcNow();
            s.Status = status;
            s.StatusAt = now;
            s.StatusBy = actor;
            s.StatusReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
            if (status == ExchangeStatus.Active) { s.FloodWindowStart = now; s.FloodWindowMatches = 0; }
            await audit.AppendAsync(db, [new AuditRecord(actor, status == ExchangeStatus.Active ? "exchange.resumed" : "exchange.paused", $"exchange:{name}", before, status, s.StatusReason)], ct);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await GetAsync(name, ct);
    }
}
