using System.Text.Json;
using Bulwark.Core.Ingest;
using Bulwark.Core.Pipeline;
using Bulwark.Core.Policy.Enforcement;
using Bulwark.Core.Policy.Rules;
using Bulwark.Core.Signals;
using Bulwark.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Core.Policy;

/// <summary>How often a (policy, outcome or action) pair appears with the candidate rules but not the active ones, and vice versa.</summary>
public sealed record BacktestDelta(string Policy, string Action, int Added, int Removed);

public sealed record BacktestReport(string ActiveHash, string CandidateHash, int Evaluated, int Changed, IReadOnlyList<BacktestDelta> Deltas);

/// <summary>
/// Re-evaluates the stored signals of every content version received since a date with the active and a candidate rule
/// set, and counts the decisions that would change. Both sets see identical inputs (stored signals, the account state of
/// now), so every difference is the rules' doing. Read-only.
/// </summary>
public sealed class Backtester(IBulwarkDbFactory dbs, PolicyStore store, EnforcementService enforcement)
{
    private const int Page = 500;

    public async Task<BacktestReport> RunAsync(RuleSet candidate, DateTimeOffset since, CancellationToken ct)
    {
        var active = await store.GetActiveRulesAsync(ct);
        var added = new Dictionary<(string, string), int>();
        var removed = new Dictionary<(string, string), int>();
        var facts = new Dictionary<string, AccountFacts>(StringComparer.Ordinal);
        int evaluated = 0, changed = 0;
        long after = 0;
        var hits = new List<RuleHit>();
        while (true)
        {
            await using var db = dbs.Create();
            var versions = await db.ContentVersions.AsNoTracking()
                .Where(v => v.Id > after && v.ReceivedAt >= since && v.Status == ContentStatus.Decided)
                .OrderBy(v => v.Id).Take(Page)
                .Select(v => new { v.Id, v.ContentId, v.EventJson }).ToListAsync(ct);
            if (versions.Count == 0) break;
            after = versions[^1].Id;
            var ids = versions.Select(v => v.Id).ToList();
            var signals = (await db.Signals.AsNoTracking().Where(s => ids.Contains(s.ContentVersionId)).ToListAsync(ct))
                .OrderBy(s => s.Id).ToLookup(s => s.ContentVersionId);
            var events = versions.Select(v =>
            {
                try { return JsonSerializer.Deserialize(v.EventJson, IngestJson.Default.ContentEvent); }
                catch (JsonException) { return null; }
            }).ToList();
            // The page's new accounts in one read, not one per version.
            var unseen = events.Select(e => e?.Account?.Id).OfType<string>().Where(id => !facts.ContainsKey(id)).ToList();
            foreach (var (id, f) in await enforcement.FactsAsync(unseen, ct)) facts[id] = f;
            for (var n = 0; n < versions.Count; n++)
            {
                var (v, e) = (versions[n], events[n]);
                if (e is null) continue;
                var accountId = e.Account?.Id;
                var f = accountId is not null && facts.TryGetValue(accountId, out var known) ? known : AccountFacts.None;
                var input = RulesDecider.InputOf(e, signals[v.Id].Select(ToSignal).ToList(), f);
                var before = Keys(active, input, v.ContentId, accountId, hits);
                var now = Keys(candidate, input, v.ContentId, accountId, hits);
                evaluated++;
                if (before.SetEquals(now)) continue;
                changed++;
                foreach (var k in now.Except(before)) added[k] = added.GetValueOrDefault(k) + 1;
                foreach (var k in before.Except(now)) removed[k] = removed.GetValueOrDefault(k) + 1;
            }
        }
        var deltas = added.Keys.Union(removed.Keys)
            .Select(k => new BacktestDelta(k.Item1, k.Item2, added.GetValueOrDefault(k), removed.GetValueOrDefault(k)))
            .OrderBy(d => d.Policy, StringComparer.Ordinal).ThenBy(d => d.Action, StringComparer.Ordinal).ToList();
        return new BacktestReport(active.Hash, candidate.Hash, evaluated, changed, deltas);
    }

    private HashSet<(string Policy, string Action)> Keys(RuleSet set, RuleInput input, string contentId, string? accountId, List<RuleHit> hits)
    {
        hits.Clear();
        set.Evaluate(input, hits);
        var d = DecisionBuilder.Build(set, hits, input, contentId, accountId, enforcement.Options);
        var keys = new HashSet<(string, string)> { (d.Policy ?? "-", "outcome:" + d.Outcome + (d.Queue is null ? "" : $" ({d.Queue})")) };
        foreach (var a in d.Actions) keys.Add((a.Policy ?? "-", a.Kind));
        return keys;
    }

    private static Signal ToSignal(SignalRow r) => new(r.Type, r.Source, r.Explanation, r.Value, r.Score, r.Distance, r.Bank, r.BankEntryId,
        JsonSerializer.Deserialize(r.LabelsJson, IngestJson.Default.ListString));
}
