using System.Globalization;
using System.Text.Json;
using Bulwark.Core.Accounts;
using Bulwark.Core.Actions;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Signals.Accounts;

/// <summary>
/// Ban evasion: the item's account shares a hashed identifier (device, payment, phone, e-mail, IP) with an account that is
/// banned or suspended right now. One <c>account.ban_evasion</c> signal per shared identifier type, scored by how strongly
/// that type suggests the same person (<see cref="LinkedIdentifierTypes.Strength"/>), labelled <c>identifier:&lt;type&gt;</c>,
/// <c>policy:&lt;policy&gt;</c> and <c>measure:ban|suspend</c>. It is evidence for a person to weigh, never a ban by itself:
/// the rule checker refuses automatic bans, suspensions and strikes on it.
/// </summary>
/// <remarks>
/// "Banned right now" is read from the action history, the same way an appeal's reversal reads it: the
/// <c>account.ban</c> and <c>account.suspend</c> actions after the account's last <c>account.reinstate</c>, less those whose
/// decision was reversed on appeal and suspensions whose days are over. The rows come from the account's links, joined on
/// (hash, type) to other accounts' links (index <c>account_links(hash, type)</c>), joined to those accounts' measures
/// (index <c>actions(target_type, target_id)</c>). In the pipeline they are read once per claimed batch
/// (<see cref="PrepareAsync"/>): one query finds which of the batch's accounts have links at all (usually none, and then
/// that is all), and one more reads the rows of those that do. Called outside a batch, the stage runs the same join for its
/// one account.
/// </remarks>
public sealed class BanEvasionExtractor(IBulwarkDbFactory dbs, TimeProvider clock) : ISignalExtractor, IBatchPreparation
{
    public const string SignalType = "account.ban_evasion";
    /// <summary>Bound on the rows one item may read, so an identifier shared by very many accounts cannot stall the pipeline.</summary>
    public const int MaxRows = 5000;
    // Lifts (a partly successful appeal) end the measure of their kind, as MeasuresInForce reads them.
    private static readonly string[] Measures = ["account.ban", "account.suspend", "account.reinstate", "account.lift_ban", "account.lift_suspension"];

    public string Name => "ban-evasion";

    /// <summary>One joined row: a link type the account shares with <paramref name="Account"/>, and one of that account's measures.</summary>
    private sealed record Row(string Type, string Account, long Id, string Kind, string? Policy, DateTimeOffset CreatedAt, string DetailsJson, bool Reversed);

    /// <summary>What <see cref="PrepareAsync"/> read for one item: its account's rows (empty when it has no links).</summary>
    private sealed record PreparedRows(IReadOnlyList<Row> Rows);

    public async Task PrepareAsync(IReadOnlyList<PipelineContext> batch, CancellationToken ct)
    {
        var ids = batch.Select(c => c.Event.Account?.Id).Where(id => !string.IsNullOrEmpty(id)).Select(id => id!).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0) return;
        await using var db = dbs.Create();
        var linked = await db.Set<AccountLinkRow>().AsNoTracking().Where(l => ids.Contains(l.AccountId)).Select(l => l.AccountId).Distinct().ToListAsync(ct);
        var byAccount = new Dictionary<string, IReadOnlyList<Row>>(StringComparer.Ordinal);
        if (linked.Count > 0)
        {
            var links = db.Set<AccountLinkRow>();
            var rows = await (
                    from mine in links
                    where linked.Contains(mine.AccountId)
                    join other in links on new { mine.Hash, mine.Type } equals new { other.Hash, other.Type }
                    where other.AccountId != mine.AccountId
                    join a in db.Set<ActionRow>() on other.AccountId equals a.TargetId
                    where a.TargetType == "account" && Measures.Contains(a.Kind)
                    join d in db.Decisions on a.DecisionId equals (long?)d.Id into ds
                    from d in ds.DefaultIfEmpty()
                    select new { Mine = mine.AccountId, mine.Type, Account = other.AccountId, a.Id, a.Kind, a.Policy, a.CreatedAt, a.DetailsJson, Reversed = d != null && d.ReversedAt != null })
                .OrderByDescending(r => r.Id).Take(MaxRows).ToListAsync(ct);
            if (rows.Count < MaxRows)
                foreach (var g in rows.GroupBy(r => r.Mine, StringComparer.Ordinal))
                    byAccount[g.Key] = g.Select(r => new Row(r.Type, r.Account, r.Id, r.Kind, r.Policy, r.CreatedAt, r.DetailsJson, r.Reversed)).ToList();
            else
                // The batch's rows reached the bound: read each account on its own, so each keeps its own newest MaxRows as
                // it would per item.
                foreach (var id in linked) byAccount[id] = await RowsOfAsync(db, id, ct);
        }
        foreach (var context in batch)
            if (context.Event.Account?.Id is { Length: > 0 } id)
                context.Prepare(new PreparedRows(byAccount.GetValueOrDefault(id) ?? []));
    }

    public async ValueTask<StageResult> ExtractAsync(PipelineContext context, CancellationToken ct)
    {
        var accountId = context.Event.Account?.Id;
        if (string.IsNullOrEmpty(accountId)) return StageResult.Success;
        IReadOnlyList<Row> rows;
        if (context.Prepared<PreparedRows>() is { } prepared) rows = prepared.Rows;
        else
        {
            await using var db = dbs.Create();
            rows = await RowsOfAsync(db, accountId, ct);
        }
        if (rows.Count == 0) return StageResult.Success;

        var now = clock.GetUtcNow();
        var standing = new Dictionary<string, List<(string Kind, string Policy)>>(StringComparer.Ordinal);
        foreach (var account in rows.GroupBy(r => r.Account))
        {
            var history = account.DistinctBy(r => r.Id).OrderBy(r => r.Id).ToList();
            var lastReinstate = history.LastOrDefault(r => r.Kind == "account.reinstate")?.Id ?? 0;
            var inForce = history
                .Where(r => r.Id > lastReinstate && r.Kind is "account.ban" or "account.suspend" && !r.Reversed && !SuspensionOver(r.Kind, r.CreatedAt, r.DetailsJson, now)
                    && !history.Any(l => l.Id > r.Id && l.Kind == (r.Kind == "account.ban" ? "account.lift_ban" : "account.lift_suspension")))
                .Select(r => (r.Kind == "account.ban" ? "ban" : "suspend", r.Policy ?? "unknown")).Distinct().ToList();
            if (inForce.Count > 0) standing[account.Key] = inForce;
        }
        if (standing.Count == 0) return StageResult.Success;

        foreach (var byType in rows.Where(r => standing.ContainsKey(r.Account)).GroupBy(r => r.Type).OrderByDescending(g => LinkedIdentifierTypes.Strength.GetValueOrDefault(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var accounts = byType.Select(r => r.Account).Distinct().ToList();
            var measures = accounts.SelectMany(a => standing[a]).Distinct().OrderBy(m => m.Item2, StringComparer.Ordinal).ThenBy(m => m.Item1, StringComparer.Ordinal).ToList();
            var policies = measures.Select(m => m.Item2).Distinct().ToList();
            var kinds = measures.Select(m => m.Item1).Distinct().Order(StringComparer.Ordinal).ToList();
            var what = string.Join("; ", measures.Select(m => $"{(m.Item1 == "ban" ? "banned" : "suspended")} under {m.Item2}"));
            var explanation = string.Create(CultureInfo.InvariantCulture,
                $"The account shares a {byType.Key} identifier with {accounts.Count} {(accounts.Count == 1 ? "account" : "accounts")} currently banned or suspended ({what})");
            context.Signals.Add(new Signal(SignalType, Name, explanation, Value: byType.Key,
                Score: LinkedIdentifierTypes.Strength.GetValueOrDefault(byType.Key),
                Labels: [$"identifier:{byType.Key}", .. policies.Select(p => $"policy:{p}"), .. kinds.Select(k => $"measure:{k}")]));
        }
        return StageResult.Success;
    }

    /// <summary>One account's rows (the per-item query).</summary>
    private static async Task<IReadOnlyList<Row>> RowsOfAsync(BulwarkDbContext db, string accountId, CancellationToken ct)
    {
        var links = db.Set<AccountLinkRow>();
        return await (
                from mine in links
                where mine.AccountId == accountId
                join other in links on new { mine.Hash, mine.Type } equals new { other.Hash, other.Type }
                where other.AccountId != accountId
                join a in db.Set<ActionRow>() on other.AccountId equals a.TargetId
                where a.TargetType == "account" && Measures.Contains(a.Kind)
                join d in db.Decisions on a.DecisionId equals (long?)d.Id into ds
                from d in ds.DefaultIfEmpty()
                select new { mine.Type, Account = other.AccountId, a.Id, a.Kind, a.Policy, a.CreatedAt, a.DetailsJson, Reversed = d != null && d.ReversedAt != null })
            // Newest actions first, so a truncated history keeps the measures and reinstatements that decide today's state.
            .OrderByDescending(r => r.Id).Take(MaxRows)
            .Select(r => new Row(r.Type, r.Account, r.Id, r.Kind, r.Policy, r.CreatedAt, r.DetailsJson, r.Reversed)).ToListAsync(ct);
    }

    private static bool SuspensionOver(string kind, DateTimeOffset createdAt, string detailsJson, DateTimeOffset now)
    {
        if (kind != "account.suspend") return false;
        try
        {
            var details = JsonSerializer.Deserialize<Dictionary<string, string>>(detailsJson);
            return details is not null && details.TryGetValue("days", out var days)
                && int.TryParse(days, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && createdAt.AddDays(n) <= now;
        }
        catch (JsonException) { return false; }
    }
}
