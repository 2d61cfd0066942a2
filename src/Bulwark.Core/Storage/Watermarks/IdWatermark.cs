using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bulwark.Core.Storage.Watermarks;

/// <summary>How far one consumer (an indexer) has read an id-ordered table such as <c>content_versions</c>.</summary>
public sealed class IndexWatermarkRow
{
    public required string Name { get; set; }
    public long LastId { get; set; }
}

/// <summary>
/// An id the consumer <see cref="Name"/> read past while it was missing: on PostgreSQL a transaction may still commit it (ids
/// are taken at insert, not at commit). Looked up again on every catch-up until it appears or <see cref="IdWatermark.GapHorizon"/>
/// has passed.
/// </summary>
public sealed class IndexGapRow
{
    public required string Name { get; set; }
    public long Id { get; set; }
    public DateTimeOffset NotedAt { get; set; }
}

internal sealed class IndexWatermarkConfiguration : IEntityTypeConfiguration<IndexWatermarkRow>
{
    public void Configure(EntityTypeBuilder<IndexWatermarkRow> e)
    {
        e.ToTable("index_watermarks");
        e.HasKey(x => x.Name);
        e.Property(x => x.Name).HasMaxLength(64);
    }
}

internal sealed class IndexGapConfiguration : IEntityTypeConfiguration<IndexGapRow>
{
    public void Configure(EntityTypeBuilder<IndexGapRow> e)
    {
        e.ToTable("index_gaps");
        e.HasKey(x => new { x.Name, x.Id });
        e.Property(x => x.Name).HasMaxLength(64);
        e.Property(x => x.Id).ValueGeneratedNever();
    }
}

/// <summary>An id of the source table and when its row was written (the source's own clock column).</summary>
public readonly record struct IdStamp(long Id, DateTimeOffset WrittenAt);

/// <summary>
/// The watermark and late-commit gaps of one consumer that copies an id-ordered table in windows (the researcher read model,
/// the console search index). The consumer reads the next window of ids above the watermark, asks <see cref="Plan"/> how much
/// of it may be applied, applies that, and in the same write transaction calls <see cref="AdvanceAsync"/>, which records the ids
/// read past and moves the watermark with a compare-and-set (a window another instance applied first is rolled back).
/// <para>
/// Why gaps: on PostgreSQL ids are taken when a row is inserted, not when its transaction commits, so a lower id can become
/// visible after a higher one; a watermark moved past it would skip that row for ever. A gap is either such a transaction
/// still in flight or an id a rolled-back insert consumed; the two look alike, so a window stops before a gap whose next row
/// is younger than <see cref="GapSettle"/> and reads past it once the gap is older. The ids it reads past are kept in
/// <c>index_gaps</c> and looked up again (<see cref="DueGapsAsync"/>) for <see cref="GapHorizon"/>, so a transaction that
/// commits even later (a stalled writer on a loaded machine) is still applied.
/// </para>
/// One instance per consumer and process; the consumer serialises its calls (a gate).
/// </summary>
public sealed class IdWatermark(string name, TimeProvider clock)
{
    /// <summary>How long a gap in ids may stay open before a window reads past it (an ingestion transaction lasts milliseconds).</summary>
    public static readonly TimeSpan GapSettle = TimeSpan.FromSeconds(30);

    /// <summary>How long an id read past stays in <c>index_gaps</c> and is looked up again before it is taken for a rolled-back insert.</summary>
    public static readonly TimeSpan GapHorizon = TimeSpan.FromMinutes(15);

    /// <summary>Ids recorded per window at most: a larger hole is a sequence jump (e.g. after a crash), not transactions in flight.</summary>
    public const int MaxGapIdsPerWindow = 5_000;

    /// <summary>How often an instance that knows of no gap looks again (another instance may have recorded some).</summary>
    private static readonly TimeSpan GapRefresh = TimeSpan.FromMinutes(1);

    // How far this process has applied (it may be ahead of the stored watermark: see Skip). Read and written under the consumer's gate.
    private long _applied;
    // Whether index_gaps holds ids of this consumer to look up again (null: not known yet), and when this instance last looked.
    private bool? _gapsPending;
    private DateTimeOffset _gapsCheckedAt;

    public string Name { get; } = name;

    /// <summary>The stored watermark (null before the first window) and where the next window starts.</summary>
    public readonly record struct Position(long? Stored, long From);

    /// <summary>A planned window: the first <see cref="Settled"/> stamps may be applied, up to id <see cref="UpTo"/>; <see cref="Missing"/> are the ids read past.</summary>
    public sealed record Window(Position Position, int Settled, long UpTo, IReadOnlyList<long> Missing)
    {
        public bool IsEmpty => Settled == 0;
    }

    /// <summary>An id read past and when it was noted.</summary>
    public readonly record struct Gap(long Id, DateTimeOffset NotedAt);

    public async Task<Position> ReadAsync(BulwarkDbContext db, CancellationToken ct)
    {
        var stored = await db.Set<IndexWatermarkRow>().AsNoTracking().Where(s => s.Name == Name).Select(s => (long?)s.LastId).FirstOrDefaultAsync(ct);
        return new Position(stored, Math.Max(stored ?? 0, Volatile.Read(ref _applied)));
    }

    /// <summary>How much of <paramref name="stamps"/> (ascending ids above <paramref name="position"/>) may be applied now.</summary>
    public Window Plan(Position position, IReadOnlyList<IdStamp> stamps)
    {
        var settled = SettledPrefix(stamps, position.From, clock.GetUtcNow() - GapSettle);
        if (settled == 0) return new Window(position, 0, position.From, []);
        return new Window(position, settled, stamps[settled - 1].Id, MissingIds(stamps, settled, position.From));
    }

    /// <summary>
    /// Inside the caller's write transaction: records the ids <paramref name="window"/> read past and moves the stored watermark
    /// to its end. False when another instance moved the watermark first (the caller disposes the transaction, rolling back).
    /// The caller saves its changes (these included) and commits, then calls <see cref="Advanced"/>.
    /// </summary>
    public async Task<bool> AdvanceAsync(BulwarkDbContext db, Window window, CancellationToken ct)
    {
        if (window.Missing.Count > 0)
        {
            var noted = clock.GetUtcNow();
            db.AddRange(window.Missing.Select(id => new IndexGapRow { Name = Name, Id = id, NotedAt = noted }));
        }
        if (window.Position.Stored is not { } stored)
        {
            db.Add(new IndexWatermarkRow { Name = Name, LastId = window.UpTo });
            return true;
        }
        return await db.Set<IndexWatermarkRow>().Where(s => s.Name == Name && s.LastId == stored)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastId, window.UpTo), ct) == 1;
    }

    /// <summary>After the caller's commit.</summary>
    public void Advanced(Window window)
    {
        Volatile.Write(ref _applied, window.UpTo);
        if (window.Missing.Count > 0) _gapsPending = true;
    }

    /// <summary>
    /// Moves only this process's position past a window that had nothing to write (the stored watermark follows with the next
    /// write; after a restart the window is read again, which must change nothing).
    /// </summary>
    public void Skip(Window window) => Volatile.Write(ref _applied, window.UpTo);

    /// <summary>
    /// The ids read past that are due to be looked up again; null, without a query, while this instance knows of no gap (it
    /// looks again every minute, in case another instance recorded some).
    /// </summary>
    public async Task<IReadOnlyList<Gap>?> DueGapsAsync(BulwarkDbContext db, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_gapsPending == false && now - _gapsCheckedAt < GapRefresh) return null;
        var gaps = await db.Set<IndexGapRow>().AsNoTracking().Where(g => g.Name == Name).OrderBy(g => g.Id).Take(MaxGapIdsPerWindow)
            .Select(g => new Gap(g.Id, g.NotedAt)).ToListAsync(ct);
        _gapsCheckedAt = now;
        _gapsPending = gaps.Count > 0;
        return gaps;
    }

    /// <summary>The gaps to forget: those whose row has appeared (<paramref name="found"/>) and those older than <see cref="GapHorizon"/>.</summary>
    public IReadOnlyList<long> Done(IReadOnlyList<Gap> gaps, IReadOnlySet<long> found)
    {
        var now = clock.GetUtcNow();
        return gaps.Where(g => found.Contains(g.Id) || now - g.NotedAt > GapHorizon).Select(g => g.Id).ToList();
    }

    /// <summary>
    /// Inside the caller's write transaction: forgets <paramref name="done"/>. Forgetting is the compare-and-set: false when
    /// another instance forgot (and so applied) some of them first; the caller then rolls back.
    /// </summary>
    public async Task<bool> ForgetAsync(BulwarkDbContext db, IReadOnlyList<long> done, CancellationToken ct) =>
        await db.Set<IndexGapRow>().Where(g => g.Name == Name && done.Contains(g.Id)).ExecuteDeleteAsync(ct) == done.Count;

    /// <summary>After the caller's commit of a recheck.</summary>
    public void Rechecked(IReadOnlyList<Gap> gaps, IReadOnlyList<long> done) =>
        _gapsPending = gaps.Count > done.Count || gaps.Count == MaxGapIdsPerWindow;

    /// <summary>The ids between <paramref name="last"/> and the end of the settled prefix that the window does not hold.</summary>
    public static List<long> MissingIds(IReadOnlyList<IdStamp> window, int settled, long last)
    {
        var missing = new List<long>();
        var previous = last;
        for (var i = 0; i < settled && missing.Count < MaxGapIdsPerWindow; i++)
        {
            if (previous != 0)
                for (var id = previous + 1; id < window[i].Id && missing.Count < MaxGapIdsPerWindow; id++) missing.Add(id);
            previous = window[i].Id;
        }
        return missing;
    }

    /// <summary>
    /// How many stamps of <paramref name="window"/> (ascending ids after <paramref name="last"/>) may be applied: all of them
    /// up to the first gap in ids whose following row was written after <paramref name="settledBefore"/>.
    /// </summary>
    public static int SettledPrefix(IReadOnlyList<IdStamp> window, long last, DateTimeOffset settledBefore)
    {
        var previous = last;
        for (var i = 0; i < window.Count; i++)
        {
            // The first id after the watermark 0 need not be 1 (a fresh sequence on some providers starts elsewhere).
            var gap = window[i].Id != previous + 1 && previous != 0;
            if (gap && window[i].WrittenAt > settledBefore) return i;
            previous = window[i].Id;
        }
        return window.Count;
    }
}
