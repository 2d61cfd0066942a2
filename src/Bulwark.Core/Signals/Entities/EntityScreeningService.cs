using Bulwark.Core.Storage;
using Bulwark.Matching.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bulwark.Core.Signals.Entities;

/// <summary>An approved entity as screening results name it.</summary>
public sealed record ScreenedEntity(long Id, string Kind, string Name, string Tier, string? ListSource, string? ReferenceNumber);

/// <summary>A term of an entity found in a text: which term, where (original offsets), what the text said, and which
/// normalisation steps were needed to see it.</summary>
public sealed record TextScreenMatch(
    ScreenedEntity Entity, string Term, string TermType, string Grade, int Start, int End, string Matched, string Normalized,
    IReadOnlyList<string> Steps, double Score)
{
    /// <summary>For a name of one word that is not distinctive on its own: what else in the text names the entity (see <see cref="AliasCorroboration"/>).</summary>
    public string? Corroboration { get; init; }
}

/// <summary>A name scored against an entity's names, with the per-token explanation.</summary>
public sealed record NameScreenMatch(ScreenedEntity Entity, string MatchedName, double Score, IReadOnlyList<TokenScore> Tokens, IReadOnlyList<string> Steps);

/// <summary>
/// Screens text and names against the approved registry. The matchers are built from a snapshot of every approved entity and
/// swapped in whole (a reader never sees half an index): after a change in this process at once (<see cref="FollowAsync"/>), after
/// changes by other processes within <see cref="EntityOptions.RefreshSeconds"/> (<see cref="EntityScreeningLoader"/>).
/// </summary>
public sealed class EntityScreeningService(IBulwarkDbFactory dbs, EntityOptions options, TimeProvider clock, ILogger<EntityScreeningService> log, IReferenceChangeNotices? notices = null)
{
    /// <summary>Score of a text match by the grade of the term: an exact strong term is decisive, a weak alias is only a hint.</summary>
    public static double GradeScore(string grade) => grade switch
    {
        EntityGrades.Weak => 0.6,
        EntityGrades.Former => 0.9,
        _ => 1.0,
    };

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private ScreeningIndex? _index;

    public bool Loaded => Volatile.Read(ref _index) is not null;
    public DateTimeOffset? LastUpdate { get; private set; }
    public string? LastError { get; private set; }
    public int Entities => Volatile.Read(ref _index)?.Entities.Length ?? 0;
    public int Patterns => Volatile.Read(ref _index)?.Terms.Length ?? 0;
    public TimeSpan LastBuildTime { get; private set; }

    public Task EnsureLoadedAsync(CancellationToken ct) => Loaded ? Task.CompletedTask : RefreshAsync(force: false, ct);

    /// <summary>
    /// After a change this process made: tells the other processes (<see cref="IReferenceChangeNotices"/>) and rebuilds here,
    /// if the index is in use at all (a short-lived CLI may never load it).
    /// </summary>
    public Task FollowAsync(CancellationToken ct)
    {
        notices?.Changed(ReferenceData.Registry);
        return Loaded ? RefreshAsync(force: true, ct) : Task.CompletedTask;
    }

    /// <summary>Rebuilds when the approved set changed since the last build (or always, when <paramref name="force"/>).</summary>
    public async Task RefreshAsync(bool force, CancellationToken ct)
    {
        await _refresh.WaitAsync(ct);
        try
        {
            await using var db = dbs.Create();
            var approved = db.Set<DesignatedEntityRow>().AsNoTracking().Where(e => e.Status == EntityStatuses.Approved);
            // Cheap change stamp: the approved set (count and id sum) and the latest change to any entry.
            var stamp = new Stamp(await approved.CountAsync(ct), await approved.SumAsync(e => (long?)e.Id, ct) ?? 0,
                await db.Set<DesignatedEntityRow>().OrderByDescending(e => e.UpdatedAt).Select(e => (DateTimeOffset?)e.UpdatedAt).FirstOrDefaultAsync(ct));
            var current = Volatile.Read(ref _index);
            if (!force && current is not null && current.Stamp == stamp) { LastError = null; return; }

            var rows = await approved.Include(e => e.Terms).Include(e => e.Listings).AsSplitQuery().OrderBy(e => e.Id).ToListAsync(ct);
            var started = clock.GetTimestamp();
            var index = ScreeningIndex.Build(rows, stamp);
            LastBuildTime = clock.GetElapsedTime(started);
            Volatile.Write(ref _index, index);
            LastUpdate = clock.GetUtcNow();
            LastError = null;
            log.LogInformation("Entity screening index built: {Entities} approved entities, {Patterns} patterns in {Ms} ms",
                index.Entities.Length, index.Terms.Length, LastBuildTime.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LastError = ex.Message;
            log.LogWarning(ex, "Entity screening index refresh failed");
            throw;
        }
        finally { _refresh.Release(); }
    }

    /// <summary>Every term of an approved entity found in <paramref name="text"/> (whole words, obfuscation undone).</summary>
    public async Task<IReadOnlyList<TextScreenMatch>> ScreenTextAsync(string? text, CancellationToken ct)
    {
        await EnsureLoadedAsync(ct);
        return ScreenText(text);
    }

    /// <summary>Approved entities whose names score at least the threshold against <paramref name="name"/>, best first.</summary>
    public async Task<IReadOnlyList<NameScreenMatch>> ScreenNameAsync(string? name, double? threshold, CancellationToken ct)
    {
        await EnsureLoadedAsync(ct);
        return ScreenName(name, threshold);
    }

    /// <summary>
    /// Every term of an approved entity found in <paramref name="text"/>. A name of one word that is not distinctive on its
    /// own ("Hassan") counts only when something else in the text names the same entity (<see cref="AliasCorroboration"/>).
    /// </summary>
    public IReadOnlyList<TextScreenMatch> ScreenText(string? text) => ScreenText(text, corroborate: true);

    /// <summary><paramref name="corroborate"/> false: every raw match, as before corroboration was required (for tests).</summary>
    internal IReadOnlyList<TextScreenMatch> ScreenText(string? text, bool corroborate)
    {
        var index = Volatile.Read(ref _index) ?? throw new InvalidOperationException("The entity screening index is not loaded yet.");
        if (string.IsNullOrEmpty(text)) return [];
        var results = new List<TextScreenMatch>();
        List<AliasCorroboration.Word>? words = null;
        Dictionary<(IReadOnlySet<string>, string), string?>? contextCache = null;
        foreach (var m in index.Text.FindAll(text))
        {
            var term = index.Terms[m.PatternId];
            var entity = index.Entities[term.Entity];
            string? corroboration = null;
            if (term.NeedsCorroboration && corroborate)
            {
                words ??= AliasCorroboration.Words(text);
                contextCache ??= new(ReferenceEqualityComparerPair.Instance);
                corroboration = AliasCorroboration.Find(words, m.Start, m.End, term.Alias, index.NameTokens[term.Entity], index.ContextTokens[term.Entity], contextCache);
                if (corroboration is null) continue;
            }
            results.Add(new TextScreenMatch(entity, term.Value, term.Type, term.Grade, m.Start, m.End, text[m.Start..m.End], m.Normalized,
                StepNames(m.Steps), GradeScore(term.Grade)) { Corroboration = corroboration });
        }
        if (index.Symbols.Length > 0) FindSymbols(index, text, results);
        return results;
    }

    public IReadOnlyList<NameScreenMatch> ScreenName(string? name, double? threshold = null)
    {
        var index = Volatile.Read(ref _index) ?? throw new InvalidOperationException("The entity screening index is not loaded yet.");
        if (string.IsNullOrWhiteSpace(name)) return [];
        return index.Names.Match(name, threshold ?? options.NameThreshold)
            .Select(m => new NameScreenMatch(index.Entities[m.Id], m.Name, Math.Round(m.Score, 4), m.Tokens, StepNames(m.Steps)))
            .ToList();
    }

    // Symbols and emoji have no letters for the normaliser to keep, so they are found as written, ignoring emoji
    // presentation selectors (U+FE0E/U+FE0F), which platforms add or drop at will. Symbol terms are few; a scan per term is enough.
    private static void FindSymbols(ScreeningIndex index, string text, List<TextScreenMatch> results)
    {
        var (stripped, map) = StripSelectors(text);
        foreach (var (termId, key) in index.Symbols)
        {
            for (var at = stripped.IndexOf(key, StringComparison.Ordinal); at >= 0; at = stripped.IndexOf(key, at + key.Length, StringComparison.Ordinal))
            {
                var start = map is null ? at : map[at];
                var end = map is null ? at + key.Length : map[at + key.Length - 1] + 1;
                var term = index.Terms[termId];
                results.Add(new TextScreenMatch(index.Entities[term.Entity], term.Value, term.Type, term.Grade, start, end, text[start..end], key,
                    end - start != key.Length ? [nameof(NormalizationSteps.FormatRemoved)] : [], GradeScore(term.Grade)));
            }
        }
    }

    internal static (string Text, int[]? Map) StripSelectors(string text)
    {
        if (text.IndexOfAny(['\uFE0E', '\uFE0F']) < 0) return (text, null);
        var sb = new System.Text.StringBuilder(text.Length);
        var map = new List<int>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '\uFE0E' or '\uFE0F') continue;
            sb.Append(text[i]);
            map.Add(i);
        }
        return (sb.ToString(), [.. map]);
    }

    public static IReadOnlyList<string> StepNames(NormalizationSteps steps) =>
        steps == NormalizationSteps.None ? [] : Enum.GetValues<NormalizationSteps>().Where(s => s != NormalizationSteps.None && steps.HasFlag(s)).Select(s => s.ToString()).ToList();

    private readonly record struct Stamp(int Count, long IdSum, DateTimeOffset? LastChange);

    /// <param name="Alias">The term's one content word, when it is a single-token name (the word corroboration must not count again).</param>
    private sealed record IndexedTerm(int Entity, string Value, string Type, string Grade, bool NeedsCorroboration = false, string Alias = "");

    private sealed class ScreeningIndex
    {
        public required Stamp Stamp { get; init; }
        public required ScreenedEntity[] Entities { get; init; }
        public required IndexedTerm[] Terms { get; init; }
        public required PatternMatcher Text { get; init; }
        public required NameMatcher Names { get; init; }
        /// <summary>Symbol and emoji terms (term id, the term without presentation selectors).</summary>
        public required (int Term, string Key)[] Symbols { get; init; }
        /// <summary>Per entity: every content word of its names (a second name word corroborates a single-token alias).</summary>
        public required HashSet<string>[] NameTokens { get; init; }
        /// <summary>Per entity: the distinctive words of all its terms (a context word corroborates a single-token alias).</summary>
        public required HashSet<string>[] ContextTokens { get; init; }

        public static ScreeningIndex Build(List<DesignatedEntityRow> rows, Stamp stamp)
        {
            var entities = new ScreenedEntity[rows.Count];
            var raw = new List<(IndexedTerm Term, string[] Tokens)>();
            var names = new List<NameEntry>();
            for (var i = 0; i < rows.Count; i++)
            {
                var r = rows[i];
                var listing = r.Listings.Where(l => l.Active).OrderBy(l => l.Id).FirstOrDefault();
                entities[i] = new ScreenedEntity(r.Id, r.Kind, r.PrimaryName, r.Tier, listing?.Source, listing?.ReferenceNumber);
                foreach (var t in r.Terms.DistinctBy(t => (t.Type, t.Value, t.Grade)))
                {
                    raw.Add((new IndexedTerm(i, t.Value, t.Type, t.Grade), AliasCorroboration.Tokens(t.Value)));
                    if (EntityTermTypes.IsName(t.Type)) names.Add(new NameEntry(i, t.Value, t.Grade == EntityGrades.Weak));
                }
            }
            var corroboration = AliasCorroboration.Build(raw.Where(x => EntityTermTypes.IsName(x.Term.Type)).Select(x => (x.Term.Entity, x.Tokens)));
            var nameTokens = new HashSet<string>[rows.Count];
            var contextTokens = new HashSet<string>[rows.Count];
            for (var i = 0; i < rows.Count; i++) { nameTokens[i] = new(StringComparer.Ordinal); contextTokens[i] = new(StringComparer.Ordinal); }
            foreach (var (t, tokens) in raw)
                foreach (var token in tokens)
                {
                    if (EntityTermTypes.IsName(t.Type)) nameTokens[t.Entity].Add(token);
                    if (corroboration.IsDistinctive(token)) contextTokens[t.Entity].Add(token);
                }
            var termArray = raw.Select(x => corroboration.NeedsCorroboration(x.Term.Type, x.Term.Grade, x.Tokens)
                ? x.Term with { NeedsCorroboration = true, Alias = x.Tokens.FirstOrDefault() ?? "" }
                : x.Term).ToArray();
            static bool IsSymbol(IndexedTerm t) => t.Type is EntityTermTypes.Symbol or EntityTermTypes.Emoji;
            return new ScreeningIndex
            {
                Stamp = stamp, Entities = entities, Terms = termArray,
                Text = PatternMatcher.Build(termArray.Select((t, id) => (t, id)).Where(x => !IsSymbol(x.t)).Select(x => new Pattern(x.id, x.t.Value, x.t.Grade == EntityGrades.Weak))),
                Symbols = termArray.Select((t, id) => (t, id)).Where(x => IsSymbol(x.t))
                    .Select(x => (x.id, StripSelectors(x.t.Value).Text)).Where(x => x.Item2.Length > 0).ToArray(),
                Names = NameMatcher.Build(names),
                NameTokens = nameTokens, ContextTokens = contextTokens,
            };
        }
    }
}

/// <summary>Loads the screening index at start-up and follows registry changes made by other processes.</summary>
public sealed class EntityScreeningLoader(EntityScreeningService screening, EntityOptions options, TimeProvider clock, ILogger<EntityScreeningLoader> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await screening.RefreshAsync(force: false, stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception ex) { log.LogWarning(ex, "Entity screening refresh failed; retrying"); }
            try { await Task.Delay(TimeSpan.FromSeconds(options.RefreshSeconds), clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}

/// <summary>Compares (set, word) keys by the set's identity (one set per entity in an index) and the word's value.</summary>
internal sealed class ReferenceEqualityComparerPair : IEqualityComparer<(IReadOnlySet<string>, string)>
{
    public static readonly ReferenceEqualityComparerPair Instance = new();
    public bool Equals((IReadOnlySet<string>, string) x, (IReadOnlySet<string>, string) y) => ReferenceEquals(x.Item1, y.Item1) && x.Item2 == y.Item2;
    public int GetHashCode((IReadOnlySet<string>, string) obj) => HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item1), obj.Item2);
}
