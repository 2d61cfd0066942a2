using Bulwark.Core.Pipeline;
using Bulwark.Core.Records;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Bulwark.Core.Signals.Exchange;

public static class ExchangeSignalTypes
{
    /// <summary>
    /// A match of a partner's entry while the partner is paused by the flood guard: it replaces the <c>hash.match</c>, so
    /// rules that remove on a match do not fire; <c>exchanges.rules</c> sends it to a person. Labels: the entry's, plus
    /// <c>exchange:&lt;name&gt;</c>.
    /// </summary>
    public const string Held = "exchange.held";

    /// <summary>A partner alert (content found on this platform): value = tier; labels <c>tier:&lt;tier&gt;</c>, <c>group:&lt;group&gt;</c>, <c>exchange:&lt;name&gt;</c>.</summary>
    public const string Alert = "partner.alert";
}

/// <summary>
/// The flood guard. Runs after the matchers: every item matched by a partner's entries counts once in the partner's window;
/// when the count passes the partner's <see cref="ExchangePartnerOptions.FloodMaxMatches"/> within
/// <see cref="ExchangePartnerOptions.FloodWindowMinutes"/>, the partner is paused for review (audited, logged as an error and
/// shown on the console), and from then on its matches become <see cref="ExchangeSignalTypes.Held"/> signals that go to
/// review instead of removal. A person resumes the partner.
/// </summary>
public sealed class ExchangeFloodGuard(IBulwarkDbFactory dbs, ExchangeOptions options, TimeProvider clock, AuditLog audit, ILogger<ExchangeFloodGuard> log) : ISignalExtractor
{
    public string Name => "exchange-flood-guard";

    public async ValueTask<StageResult> ExtractAsync(PipelineContext context, CancellationToken ct)
    {
        if (options.Partners.Count == 0) return StageResult.Success;
        var byBank = options.Partners.ToDictionary(p => p.Bank, StringComparer.Ordinal);
        var matched = context.Signals.Where(s => s.Type == SignalTypes.HashMatch && s.Bank is not null && byBank.ContainsKey(s.Bank)).Select(s => byBank[s.Bank!]).DistinctBy(p => p.Name).ToList();
        foreach (var partner in matched)
        {
            if (!await CountAsync(partner, ct)) continue;
            for (var i = 0; i < context.Signals.Count; i++)
            {
                var s = context.Signals[i];
                if (s.Type != SignalTypes.HashMatch || s.Bank != partner.Bank) continue;
                context.Signals[i] = s with
                {
                    Type = ExchangeSignalTypes.Held,
                    Source = Name,
                    Explanation = $"{s.Explanation} — held for review: partner '{partner.Name}' is paused by the flood guard",
                    Labels = [.. s.Labels ?? [], $"exchange:{partner.Name}"],
                };
            }
        }
        return StageResult.Success;
    }

    /// <summary>
    /// Counts the match; true when the partner is (now) paused by the flood guard, so its matches are held. The count is an
    /// atomic increment in the database, so items processed at once (several workers, several processes) all count.
    /// </summary>
    private async Task<bool> CountAsync(ExchangePartnerOptions partner, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = dbs.Create();
        var states = db.Set<ExchangeStateRow>().Where(s => s.Name == partner.Name);
        var state = await states.AsNoTracking().FirstOrDefaultAsync(ct);
        if (state is null) return false; // never synchronised: nothing of it can have matched
        if (state.Status == ExchangeStatus.FloodPaused) return true;
        if (partner.FloodMaxMatches <= 0) return false;
        var windowStart = now - TimeSpan.FromMinutes(partner.FloodWindowMinutes);
        await using var tx = await dbs.BeginWriteAsync(db, ct);
        await states.Where(s => s.FloodWindowStart == null || s.FloodWindowStart <= windowStart)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.FloodWindowStart, now).SetProperty(s => s.FloodWindowMatches, 0), ct);
        await states.ExecuteUpdateAsync(u => u.SetProperty(s => s.FloodWindowMatches, s => s.FloodWindowMatches + 1), ct);
        var count = await states.Select(s => s.FloodWindowMatches).FirstAsync(ct);
        if (count <= partner.FloodMaxMatches) { await tx.CommitAsync(ct); return false; }
        var reason = $"{count} items matched its entries within {partner.FloodWindowMinutes} minutes (limit {partner.FloodMaxMatches}): its matches go to review until a person resumes it";
        // Only the match that trips the guard records the pause (and its alert).
        var tripped = await states.Where(s => s.Status == ExchangeStatus.Active).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.Status, ExchangeStatus.FloodPaused).SetProperty(s => s.StatusAt, now).SetProperty(s => s.StatusBy, Name).SetProperty(s => s.StatusReason, reason), ct);
        if (tripped > 0)
        {
            await audit.AppendAsync(db, [new AuditRecord(Name, "exchange.flood_paused", $"exchange:{partner.Name}", ExchangeStatus.Active, ExchangeStatus.FloodPaused, reason)], ct);
            await db.SaveChangesAsync(ct);
            log.LogError("Exchange {Exchange} paused by the flood guard: {Reason}", partner.Name, reason);
        }
        await tx.CommitAsync(ct);
        // Paused by a person meanwhile: the match acts as usual (the person's pause is about fetching, not matching).
        return tripped > 0 || await states.AnyAsync(s => s.Status == ExchangeStatus.FloodPaused, ct);
    }
}

/// <summary>
/// A partner alert ingested as an item (source <c>partner_alert</c>, reference = the partner's alert id) becomes a
/// <see cref="ExchangeSignalTypes.Alert"/> signal carrying its tier and group, which <c>exchanges.rules</c> routes by tier.
/// </summary>
public sealed class PartnerAlertExtractor(IBulwarkDbFactory dbs, ExchangeOptions options) : ISignalExtractor
{
    public string Name => "partner-alert";

    public async ValueTask<StageResult> ExtractAsync(PipelineContext context, CancellationToken ct)
    {
        var source = context.Event.Source;
        if (source is not { Type: "partner_alert", Name: { } name, Reference: { } reference } || options.Find(name) is null) return StageResult.Success;
        await using var db = dbs.Create();
        var alert = await db.Set<ExchangeAlertRow>().AsNoTracking().FirstOrDefaultAsync(a => a.Exchange == name && a.AlertId == reference, ct);
        if (alert is null) return StageResult.Success;
        List<string> labels = [$"tier:{alert.Tier}", $"exchange:{name}"];
        if (alert.Group is { } g) labels.Add($"group:{g}");
        context.Signals.Add(new Signal(ExchangeSignalTypes.Alert, Name,
            $"Partner {name} found this content on the platform (alert {alert.AlertId}): attributed to {alert.Group ?? "an unnamed group"}, tier {alert.Tier}",
            Value: alert.Tier, Labels: labels));
        return StageResult.Success;
    }
}
