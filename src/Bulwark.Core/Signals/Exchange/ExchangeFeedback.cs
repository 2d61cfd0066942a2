using System.Text.Json;
using Bulwark.Core.Actions.Review;
using Bulwark.Core.Ingest;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Signals.Exchange;

/// <summary>What was sent to partners, newest first.</summary>
public sealed record FeedbackView(long Id, string Exchange, string ItemId, string Opinion, long? ReviewCaseId, string? DecidedBy, string Status, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset? SentAt, string? LastError);

/// <summary>
/// Opinions owed to partners. A human decision on content matched by a partner's entry records one opinion per matched item
/// in the decision's own transaction (<see cref="RecordAsync"/>): a violation agrees, no violation with an exception
/// (news, education…) disagrees with the partner's classification, no violation without one is a false positive; an
/// escalation says nothing yet. <see cref="SendDueAsync"/> sends them in batches per partner and retries with backoff.
/// </summary>
public sealed class ExchangeFeedback(IBulwarkDbFactory dbs, ExchangeOptions options, TimeProvider clock, AuditLog audit, ExchangeSyncService sync)
{
    public static string? OpinionOf(string? verdict, string? exception) => verdict switch
    {
        ReviewVerdict.Violation => Opinions.Agree,
        ReviewVerdict.NoViolation => exception is null ? Opinions.FalsePositive : Opinions.Disagree,
        _ => null,
    };

    /// <summary>Called by the review decision, inside its transaction; returns how many opinions were recorded.</summary>
    public async Task<int> RecordAsync(BulwarkDbContext db, ReviewCaseRow c, string? verdict, string? exception, string decidedBy, CancellationToken ct)
    {
        if (options.Partners.Count == 0 || OpinionOf(verdict, exception) is not { } opinion || c.DecisionId is not { } decisionId) return 0;
        var versionId = await db.Decisions.AsNoTracking().Where(d => d.Id == decisionId).Select(d => (long?)d.ContentVersionId).FirstOrDefaultAsync(ct);
        if (versionId is null) return 0;
        var entryIds = await db.Signals.AsNoTracking()
            .Where(s => s.ContentVersionId == versionId && s.BankEntryId != null && (s.Type == SignalTypes.HashMatch || s.Type == ExchangeSignalTypes.Held))
            .Select(s => s.BankEntryId!.Value).Distinct().ToListAsync(ct);
        if (entryIds.Count == 0) return 0;
        var items = await db.Set<ExchangeItemRow>().AsNoTracking().Where(i => entryIds.Contains(i.BankEntryId)).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var added = 0;
        foreach (var item in items.DistinctBy(i => (i.Exchange, i.ItemId)))
        {
            if (options.Find(item.Exchange) is not { SendFeedback: true } partner || !sync.KindOf(partner).TakesOpinions) continue;
            if (await db.Set<ExchangeFeedbackRow>().AnyAsync(f => f.Exchange == item.Exchange && f.ItemId == item.ItemId && f.ReviewCaseId == c.Id, ct)) continue;
            db.Set<ExchangeFeedbackRow>().Add(new ExchangeFeedbackRow
            {
                Exchange = item.Exchange, ItemId = item.ItemId, Opinion = opinion, ReviewCaseId = c.Id, DecidedBy = decidedBy, CreatedAt = now, NextAttemptAt = now,
            });
            added++;
        }
        if (added > 0) await db.SaveChangesAsync(ct);
        return added;
    }

    /// <summary>
    /// Sends due opinions, a batch per partner; returns how many were sent. Each batch is claimed in the database first (a
    /// conditional update of rows that are pending, due and not held by another sender), so processes sharing the database
    /// never send the same opinion at the same time; only the rows this call claimed are sent and recorded. A sender that
    /// dies mid-batch leaves its rows to be taken over after <see cref="ExchangeOptions.FeedbackLeaseSeconds"/>; the partner
    /// may then hear an opinion twice (at least once, never lost).
    /// </summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        List<(long Id, string Exchange)> due;
        await using (var read = dbs.Create())
            due = (await read.Set<ExchangeFeedbackRow>().AsNoTracking()
                .Where(f => f.Status == FeedbackStatus.Pending && f.NextAttemptAt <= now && (f.LeaseUntil == null || f.LeaseUntil < now))
                .OrderBy(f => f.Id).Take(options.FeedbackBatchSize * 10).Select(f => new { f.Id, f.Exchange }).ToListAsync(ct))
                .Select(f => (f.Id, f.Exchange)).ToList();
        var sent = 0;
        foreach (var group in due.GroupBy(f => f.Exchange))
        {
            var batch = await ClaimAsync(group.Select(f => f.Id).Take(options.FeedbackBatchSize).ToList(), ct);
            if (batch.Count == 0) continue; // another sender holds them
            var owner = batch[0].LeaseOwner!;
            var partner = options.Find(group.Key);
            IReadOnlyList<OpinionResult> results;
            if (partner is null) results = batch.Select(f => new OpinionResult(f.Id, false, $"partner '{group.Key}' is no longer configured", false)).ToList();
            else
            {
                var toSend = new List<OpinionToSend>();
                await using (var read = dbs.Create())
                    foreach (var f in batch)
                    {
                        var item = await read.Set<ExchangeItemRow>().AsNoTracking().Where(i => i.Exchange == f.Exchange && i.ItemId == f.ItemId).OrderBy(i => i.Id).FirstAsync(ct);
                        toSend.Add(new OpinionToSend(f.Id, f.ItemId, f.Opinion, JsonSerializer.Deserialize(item.ReferencesJson, IngestJson.Default.ListString) ?? [], item.SignalType, item.Value));
                    }
                try { results = await sync.KindOf(partner).SendOpinionsAsync(sync.Call(partner), toSend, ct); }
                catch
                {
                    await ReleaseAsync(batch.Select(b => b.Id).ToList(), owner);
                    throw;
                }
            }
            await using var db = dbs.Create();
            await using var tx = await dbs.BeginWriteAsync(db, ct);
            var ids = batch.Select(b => b.Id).ToList();
            // Only rows still held by this call: one whose lease ran out meanwhile belongs to whoever claimed it next.
            var rows = await db.Set<ExchangeFeedbackRow>().Where(f => ids.Contains(f.Id) && f.LeaseOwner == owner).ToDictionaryAsync(f => f.Id, ct);
            var at = clock.GetUtcNow();
            int ok = 0, failed = 0, retry = 0;
            foreach (var r in results)
            {
                if (!rows.TryGetValue(r.FeedbackId, out var row)) continue;
                row.Attempts++;
                row.LeaseOwner = null;
                row.LeaseUntil = null;
                if (r.Sent) { row.Status = FeedbackStatus.Sent; row.SentAt = at; row.LastError = null; ok++; }
                else
                {
                    row.LastError = r.Error is { Length: > 2000 } e ? e[..2000] : r.Error;
                    if (!r.Retryable || row.Attempts >= options.FeedbackMaxAttempts) { row.Status = FeedbackStatus.Failed; failed++; }
                    else { row.NextAttemptAt = at.AddSeconds(options.FeedbackBackoffSeconds * Math.Pow(2, Math.Min(row.Attempts - 1, 20))); retry++; }
                }
            }
            await audit.AppendAsync(db, [new AuditRecord("exchange-feedback", "exchange.feedback_sent", $"exchange:{group.Key}",
                After: $"{ok} sent, {retry} to retry, {failed} failed: " + string.Join(", ", batch.Select(b => $"{b.ItemId}={b.Opinion}").Take(20)))], ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            sent += ok;
        }
        return sent;
    }

    /// <summary>
    /// Claims what is still claimable of <paramref name="ids"/> for a new owner (one per call) in one conditional update, and
    /// answers the rows it got. Under concurrency the database decides: PostgreSQL re-checks the condition on the row a
    /// concurrent update committed, SQLite runs one writer at a time.
    /// </summary>
    private async Task<List<ExchangeFeedbackRow>> ClaimAsync(List<long> ids, CancellationToken ct)
    {
        var owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        if (owner.Length > 64) owner = owner[^64..];
        await using var db = dbs.Create();
        var now = clock.GetUtcNow();
        var until = now.AddSeconds(options.FeedbackLeaseSeconds);
        var n = await db.Set<ExchangeFeedbackRow>()
            .Where(f => ids.Contains(f.Id) && f.Status == FeedbackStatus.Pending && f.NextAttemptAt <= now && (f.LeaseUntil == null || f.LeaseUntil < now))
            .ExecuteUpdateAsync(u => u.SetProperty(f => f.LeaseOwner, owner).SetProperty(f => f.LeaseUntil, until), ct);
        if (n == 0) return [];
        return await db.Set<ExchangeFeedbackRow>().AsNoTracking().Where(f => ids.Contains(f.Id) && f.LeaseOwner == owner).OrderBy(f => f.Id).ToListAsync(ct);
    }

    /// <summary>Gives claimed rows back at once (the send was cancelled or failed unexpectedly), so the next round can take them.</summary>
    private async Task ReleaseAsync(List<long> ids, string owner)
    {
        await using var db = dbs.Create();
        await db.Set<ExchangeFeedbackRow>().Where(f => ids.Contains(f.Id) && f.LeaseOwner == owner)
            .ExecuteUpdateAsync(u => u.SetProperty(f => f.LeaseOwner, (string?)null).SetProperty(f => f.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
    }

    public async Task<IReadOnlyList<FeedbackView>> ListAsync(string? exchange, int limit, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var q = db.Set<ExchangeFeedbackRow>().AsNoTracking();
        if (exchange is not null) q = q.Where(f => f.Exchange == exchange);
        return (await q.OrderByDescending(f => f.Id).Take(limit).ToListAsync(ct))
            .Select(f => new FeedbackView(f.Id, f.Exchange, f.ItemId, f.Opinion, f.ReviewCaseId, f.DecidedBy, f.Status, f.Attempts, f.CreatedAt, f.SentAt, f.LastError)).ToList();
    }
}
