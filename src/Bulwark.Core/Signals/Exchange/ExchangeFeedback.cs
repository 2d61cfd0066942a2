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

    /// <summary>Sends due opinions, a batch per partner; returns how many were sent.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        List<ExchangeFeedbackRow> due;
        await using (var read = dbs.Create())
            due = await read.Set<ExchangeFeedbackRow>().AsNoTracking().Where(f => f.Status == FeedbackStatus.Pending).OrderBy(f => f.Id).Take(options.FeedbackBatchSize * 10).ToListAsync(ct);
        due = due.Where(f => f.NextAttemptAt <= now).ToList();
        var sent = 0;
        foreach (var group in due.GroupBy(f => f.Exchange))
        {
            var batch = group.Take(options.FeedbackBatchSize).ToList();
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
                results = await sync.KindOf(partner).SendOpinionsAsync(sync.Call(partner), toSend, ct);
            }
            await using var db = dbs.Create();
            await using var tx = await dbs.BeginWriteAsync(db, ct);
            var ids = batch.Select(b => b.Id).ToList();
            var rows = await db.Set<ExchangeFeedbackRow>().Where(f => ids.Contains(f.Id)).ToDictionaryAsync(f => f.Id, ct);
            var at = clock.GetUtcNow();
            int ok = 0, failed = 0, retry = 0;
            foreach (var r in results)
            {
                if (!rows.TryGetValue(r.FeedbackId, out var row)) continue;
                row.Attempts++;
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

    public async Task<IReadOnlyList<FeedbackView>> ListAsync(string? exchange, int limit, CancellationToken ct)
    {
        await using var db = dbs.Create();
        var q = db.Set<ExchangeFeedbackRow>().AsNoTracking();
        if (exchange is not null) q = q.Where(f => f.Exchange == exchange);
        return (await q.OrderByDescending(f => f.Id).Take(limit).ToListAsync(ct))
            .Select(f => new FeedbackView(f.Id, f.Exchange, f.ItemId, f.Opinion, f.ReviewCaseId, f.DecidedBy, f.Status, f.Attempts, f.CreatedAt, f.SentAt, f.LastError)).ToList();
    }
}
