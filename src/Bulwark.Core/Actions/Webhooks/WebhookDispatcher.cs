using System.Collections.Concurrent;
using System.Data.Common;
using System.Net.Http.Headers;
using Bulwark.Core.Ingest;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace Bulwark.Core.Actions.Webhooks;

/// <summary>
/// A leased delivery. <see cref="Attempt"/> counts every attempt since the delivery was created, a re-send from the dead
/// letters included (the history is kept: the receiver's <c>Bulwark-Attempt</c> never repeats); <see cref="RoundStartedAt"/>
/// is the count when it was last re-sent, so the current round has <c>Attempt - RoundStartedAt</c> attempts.
/// <see cref="SentBefore"/> says an attempt was recorded before this one.
/// </summary>
public sealed record ClaimedDelivery(long Id, long SubscriptionId, long ActionId, int Attempt, bool SentBefore = false, int RoundStartedAt = 0)
{
    /// <summary>The <c>Bulwark-Redelivery</c> number: the earlier attempts, and at least 1 whenever the delivery was sent before.</summary>
    public int Redelivery => Attempt > 1 ? Attempt - 1 : SentBefore ? 1 : 0;
}

/// <summary>What one attempt came to. <see cref="StatusCode"/> is null when no HTTP answer arrived (timeout, refused, garbage).</summary>
public sealed record DeliveryOutcome(ClaimedDelivery Delivery, bool Delivered, int? StatusCode, string? Error);

/// <summary>What one round did. <see cref="MoreToFanOut"/>: a subscription's cursor is still behind the newest action (the worker goes on at once).</summary>
public sealed record DispatchRound(int FannedOut, int Claimed, int Delivered, int Failed, int DeadLettered, bool MoreToFanOut = false);

/// <summary>
/// Delivers actions to subscriptions at least once: fan-out (new actions become delivery rows, per subscription cursor), claim
/// (a lease, so a crash between sending and recording makes the delivery due again when the lease runs out — it is resent, never
/// lost), send (signed POST), record (delivered, or retried with exponential backoff and jitter, or dead after
/// <see cref="WebhookOptions.MaxAttempts"/>). Each step is its own transaction; the worker runs them in a loop.
/// </summary>
public sealed class WebhookDispatcher(
    IBulwarkDbFactory dbs, WebhookService webhooks, IHttpClientFactory httpFactory, WebhookOptions options, Random random, TimeProvider clock, WebhookMetrics metrics,
    ILogger<WebhookDispatcher> log)
{
    public const string HttpClientName = "bulwark-webhooks";
    private const int FanOutBatch = 1000;
    private readonly ConcurrentDictionary<string, string> _secrets = new();

    public async Task<DispatchRound> RunOnceAsync(string owner, CancellationToken ct)
    {
        var (fanned, more) = await FanOutRoundAsync(ct);
        var claimed = await ClaimAsync(owner, options.BatchSize, ct);
        if (claimed.Count == 0) return new DispatchRound(fanned, 0, 0, 0, 0, more);
        var outcomes = await SendAsync(claimed, ct);
        var dead = await RecordAsync(outcomes, ct);
        var delivered = outcomes.Count(o => o.Delivered);
        metrics.Delivered.Add(delivered);
        metrics.Failed.Add(outcomes.Count - delivered);
        metrics.DeadLettered.Add(dead);
        return new DispatchRound(fanned, claimed.Count, delivered, outcomes.Count - delivered, dead, more);
    }

    /// <summary>Creates delivery rows for actions after each enabled subscription's cursor. Disabled subscriptions keep their cursor (paused, not skipped).</summary>
    public async Task<int> FanOutAsync(CancellationToken ct) => (await FanOutRoundAsync(ct)).Created;

    /// <summary>
    /// One fan-out pass: at most <see cref="FanOutBatch"/> actions per subscription, each batch its own short transaction.
    /// <c>More</c> says a cursor is still behind: under full pipeline load the actions of a busy minute arrive faster than one
    /// batch per poll (issue 18 saw removals wait seconds behind the pipeline's own actions), so the worker goes on at once.
    /// </summary>
    public async Task<(int Created, bool More)> FanOutRoundAsync(CancellationToken ct)
    {
        var more = false;
        List<WebhookSubscriptionRow> subscriptions;
        long newest;
        await using (var db = dbs.Create())
        {
            subscriptions = await db.Set<WebhookSubscriptionRow>().AsNoTracking().Where(s => s.Enabled).ToListAsync(ct);
            newest = await db.Set<ActionRow>().MaxAsync(a => (long?)a.Id, ct) ?? 0;
        }
        var created = 0;
        foreach (var sub in subscriptions.Where(s => s.Cursor < newest))
        {
            await using var db = dbs.Create();
            await using var tx = await dbs.BeginWriteAsync(db, ct);
            var actions = await db.Set<ActionRow>().AsNoTracking().Where(a => a.Id > sub.Cursor).OrderBy(a => a.Id).Take(FanOutBatch)
                .Select(a => new { a.Id, a.Kind }).ToListAsync(ct);
            if (actions.Count == 0) continue;
            if (actions.Count == FanOutBatch && actions[^1].Id < newest) more = true;
            // Conditional on the cursor we read: a concurrent fan-out (another node) that got there first makes this one a no-op.
            var moved = await db.Set<WebhookSubscriptionRow>().Where(s => s.Id == sub.Id && s.Cursor == sub.Cursor)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Cursor, actions[^1].Id), ct);
            if (moved == 0) continue;
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var a in actions.Where(a => WebhookService.Matches(sub.Kinds, a.Kind)))
            {
                db.Add(new WebhookDeliveryRow { SubscriptionId = sub.Id, ActionId = a.Id, NextAttemptAt = now });
                created++;
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        return (created, more);
    }

    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(string owner, int max, CancellationToken ct)
    {
        var claimed = await LeaseClaim.ClaimAsync(dbs, "webhook_deliveries",
            ready: "status = 'pending' AND next_attempt_at <= @now",
            returning: "id, subscription_id, action_id, attempts, CASE WHEN last_attempt_at IS NULL THEN 0 ELSE 1 END, round_started_at",
            r => new ClaimedDelivery(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt32(3), r.GetInt32(4) != 0, r.GetInt32(5)),
            owner, clock.GetUtcNow().ToUnixTimeMilliseconds(), options.LeaseSeconds * 1000L, max, ct);
        claimed.Sort((a, b) => a.Id.CompareTo(b.Id));
        return claimed;
    }

    public async Task<IReadOnlyList<DeliveryOutcome>> SendAsync(IReadOnlyList<ClaimedDelivery> claimed, CancellationToken ct)
    {
        Dictionary<long, ActionRow> actions;
        Dictionary<long, WebhookSubscriptionRow> subscriptions;
        await using (var db = dbs.Create())
        {
            var actionIds = claimed.Select(c => c.ActionId).Distinct().ToList();
            var subIds = claimed.Select(c => c.SubscriptionId).Distinct().ToList();
            actions = await db.Set<ActionRow>().AsNoTracking().Where(a => actionIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
            subscriptions = await db.Set<WebhookSubscriptionRow>().AsNoTracking().Where(s => subIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        }
        var http = httpFactory.CreateClient(HttpClientName);
        var outcomes = new DeliveryOutcome[claimed.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, claimed.Count), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = ct },
            async (i, token) =>
            {
                var c = claimed[i];
                outcomes[i] = subscriptions.TryGetValue(c.SubscriptionId, out var sub) && actions.TryGetValue(c.ActionId, out var action)
                    ? await PostAsync(http, c, sub, action, token)
                    : new DeliveryOutcome(c, false, null, "the subscription was deleted");
            });
        return outcomes;
    }

    private async Task<DeliveryOutcome> PostAsync(HttpClient http, ClaimedDelivery c, WebhookSubscriptionRow sub, ActionRow action, CancellationToken ct)
    {
        string secret;
        try { secret = _secrets.GetOrAdd(sub.SecretProtected, webhooks.Unprotect); }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return new DeliveryOutcome(c, false, null, "the subscription secret cannot be decrypted (Data Protection key ring missing or changed: Bulwark:Webhooks:KeysPath)");
        }
        var body = ActionView.From(action).ToJson();
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, sub.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        request.Headers.TryAddWithoutValidation(WebhookSignature.IdempotencyKeyHeader, action.IdempotencyKey);
        request.Headers.TryAddWithoutValidation(WebhookSignature.TimestampHeader, timestamp.ToString(invariant));
        request.Headers.TryAddWithoutValidation(WebhookSignature.AttemptHeader, c.Attempt.ToString(invariant));
        if (c.Redelivery > 0) request.Headers.TryAddWithoutValidation(WebhookSignature.RedeliveryHeader, c.Redelivery.ToString(invariant));
        request.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, action.IdempotencyKey, c.Attempt, c.Redelivery, body));
        request.Headers.TryAddWithoutValidation(WebhookSignature.DeliveryHeader, c.Id.ToString(invariant));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
        var started = clock.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var code = (int)response.StatusCode;
            return code is >= 200 and < 300
                ? new DeliveryOutcome(c, true, code, null)
                : new DeliveryOutcome(c, false, code, $"receiver answered HTTP {code}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new DeliveryOutcome(c, false, null, $"receiver did not answer within {options.TimeoutSeconds} s");
        }
        catch (HttpRequestException ex)
        {
            return new DeliveryOutcome(c, false, null, $"request failed: {Describe(ex)}");
        }
        finally { metrics.Duration.Record(clock.GetElapsedTime(started).TotalMilliseconds); }
    }

    /// <summary>Records outcomes in one transaction; returns how many deliveries were dead-lettered.</summary>
    public async Task<int> RecordAsync(IReadOnlyList<DeliveryOutcome> outcomes, CancellationToken ct)
    {
        if (outcomes.Count == 0) return 0;
        await using var db = dbs.Create();
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var ids = outcomes.Select(o => o.Delivery.Id).ToList();
        var rows = await db.Set<WebhookDeliveryRow>().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, ct);
        var now = clock.GetUtcNow();
        var dead = 0;
        foreach (var o in outcomes)
        {
            if (!rows.TryGetValue(o.Delivery.Id, out var row)) continue; // its subscription was deleted meanwhile
            row.LeaseOwner = null;
            row.LeaseUntil = null;
            row.LastAttemptAt = now;
            row.LastStatusCode = o.StatusCode;
            if (o.Delivered)
            {
                row.Status = DeliveryStatus.Delivered;
                row.DeliveredAt = now;
                row.LastError = null;
                continue;
            }
            row.LastError = o.Error is { Length: > 2000 } e ? e[..2000] : o.Error;
            if (o.Delivery.Attempt - o.Delivery.RoundStartedAt >= options.MaxAttempts)
            {
                row.Status = DeliveryStatus.Dead;
                row.DeadAt = now;
                dead++;
            }
            else row.NextAttemptAt = (now + Delay(o.Delivery.Attempt - o.Delivery.RoundStartedAt)).ToUnixTimeMilliseconds();
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (dead > 0) log.LogWarning("{Count} webhook deliveries dead-lettered after {Attempts} attempts", dead, options.MaxAttempts);
        return dead;
    }

    /// <summary>Exponential backoff with jitter: half of the exponential step fixed, half random, capped.</summary>
    /// <summary>
    /// Deletes delivered rows older than <see cref="WebhookOptions.DeliveredRetentionDays"/>, at most <paramref name="max"/>
    /// at a time so the delete never holds the write lock for long; returns how many went. Pending and dead rows stay.
    /// </summary>
    public async Task<int> PurgeDeliveredAsync(int max, CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow().AddDays(-options.DeliveredRetentionDays);
        await using var db = dbs.Create();
        var ids = await db.Set<WebhookDeliveryRow>().AsNoTracking()
            .Where(d => d.Status == DeliveryStatus.Delivered && d.DeliveredAt != null && d.DeliveredAt < cutoff)
            .OrderBy(d => d.Id).Select(d => d.Id).Take(max).ToListAsync(ct);
        if (ids.Count == 0) return 0;
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        var deleted = await db.Set<WebhookDeliveryRow>().Where(d => ids.Contains(d.Id) && d.Status == DeliveryStatus.Delivered).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        return deleted;
    }

    public TimeSpan Delay(int attempt)
    {
        var ceiling = Math.Min(options.BackoffMaxMilliseconds, options.BackoffBaseMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1)));
        double fraction;
        lock (random) fraction = random.NextDouble(); // the shared injected Random: lock the instance (see Backoff)
        return TimeSpan.FromMilliseconds(ceiling / 2 + fraction * ceiling / 2);
    }

    private static string Describe(HttpRequestException ex)
    {
        var inner = ex.InnerException;
        while (inner?.InnerException is not null && inner is not ForbiddenAddressException) inner = inner.InnerException;
        return inner is null ? ex.Message : $"{ex.Message} ({inner.Message})";
    }
}
