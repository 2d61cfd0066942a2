namespace Bulwark.Core.Signals.Entities.Importers;

/// <summary>Fields of a <see cref="ListedRecord"/> a diff can report as changed.</summary>
[Flags]
public enum ListedField
{
    None = 0,
    ReferenceNumber = 1,
    Kind = 2,
    ListType = 4,
    PrimaryName = 8,
    Names = 16,
    ListedOn = 32,
    LastUpdated = 64,
    Comments = 128,
}

public sealed record ListedRecordChange(ListedRecord Previous, ListedRecord Current, ListedField Fields);

/// <summary>What an import would do: records added, changed (with the fields) and delisted, by stable key.</summary>
public sealed record ListDiffResult(
    IReadOnlyList<ListedRecord> Added,
    IReadOnlyList<ListedRecordChange> Changed,
    IReadOnlyList<ListedRecord> Delisted,
    int Unchanged,
    int PreviousCount,
    int CurrentCount)
{
    public bool IsEmpty => Added.Count == 0 && Changed.Count == 0 && Delisted.Count == 0;

    /// <summary>How much the list shrank, as a fraction of the previous count (0 when it did not shrink).</summary>
    public double ShrinkFraction => ListDiff.ShrinkFraction(PreviousCount, CurrentCount);
}

public sealed record ListDiffOptions
{
    /// <summary>Refuse when the list shrinks by more than this fraction of its previous size (default 0.2): likely a truncated download.</summary>
    public double MaxShrinkFraction { get; init; } = 0.2;

    /// <summary>Accept a shrink beyond <see cref="MaxShrinkFraction"/> (the CLI's --force).</summary>
    public bool Force { get; init; }

    public static ListDiffOptions Default { get; } = new();
}

/// <summary>The list shrank by more than the configured fraction and the import was not forced.</summary>
public sealed class ListShrinkRefusedException : Exception
{
    public ListShrinkRefusedException(int previousCount, int currentCount, double maxFraction)
        : base($"Refusing the import: the list shrank from {previousCount} to {currentCount} records " +
               $"({ListDiff.ShrinkFraction(previousCount, currentCount):P1}, more than the allowed {maxFraction:P0}). " +
               "This usually means a truncated or partial download; force the import if the shrink is genuine.")
    {
        PreviousCount = previousCount;
        CurrentCount = currentCount;
        MaxFraction = maxFraction;
    }

    public ListShrinkRefusedException() : base("Refusing the import: the list shrank too much.") { }
    public ListShrinkRefusedException(string message) : base(message) { }
    public ListShrinkRefusedException(string message, Exception inner) : base(message, inner) { }

    public int PreviousCount { get; }
    public int CurrentCount { get; }
    public double MaxFraction { get; }
}

public static class ListDiff
{
    /// <summary>
    /// Compares two versions of one list by <see cref="ListedRecord.Key"/>. Output is ordered by key (ordinal).
    /// Throws <see cref="ListShrinkRefusedException"/> when the shrink guard trips, <see cref="ArgumentException"/> on duplicate keys.
    /// </summary>
    public static ListDiffResult Compute(IReadOnlyCollection<ListedRecord> previous, IReadOnlyCollection<ListedRecord> current, ListDiffOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        options ??= ListDiffOptions.Default;
        if (options.MaxShrinkFraction is < 0 or > 1 || double.IsNaN(options.MaxShrinkFraction))
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxShrinkFraction, "MaxShrinkFraction must be between 0 and 1.");
        var before = ByKey(previous, nameof(previous));
        var after = ByKey(current, nameof(current));
        if (!options.Force && ShrinkFraction(previous.Count, current.Count) > options.MaxShrinkFraction)
            throw new ListShrinkRefusedException(previous.Count, current.Count, options.MaxShrinkFraction);

        var added = new List<ListedRecord>();
        var changed = new List<ListedRecordChange>();
        var unchanged = 0;
        foreach (var (key, record) in after)
        {
            if (!before.TryGetValue(key, out var old)) { added.Add(record); continue; }
            var fields = Differences(old, record);
            if (fields == ListedField.None) unchanged++;
            else changed.Add(new ListedRecordChange(old, record, fields));
        }
        var delisted = before.Where(kv => !after.ContainsKey(kv.Key)).Select(kv => kv.Value).ToList();
        return new ListDiffResult(added, changed, delisted, unchanged, previous.Count, current.Count);
    }

    public static double ShrinkFraction(int previousCount, int currentCount) =>
        previousCount <= 0 || currentCount >= previousCount ? 0 : (previousCount - currentCount) / (double)previousCount;

    /// <summary>Which fields differ. Names compare as a set of (name, grade, script flag); dates as sets.</summary>
    public static ListedField Differences(ListedRecord a, ListedRecord b)
    {
        var f = ListedField.None;
        if (!string.Equals(a.ReferenceNumber, b.ReferenceNumber, StringComparison.Ordinal)) f |= ListedField.ReferenceNumber;
        if (a.Kind != b.Kind) f |= ListedField.Kind;
        if (!string.Equals(a.ListType, b.ListType, StringComparison.Ordinal)) f |= ListedField.ListType;
        if (!string.Equals(a.PrimaryName, b.PrimaryName, StringComparison.Ordinal)) f |= ListedField.PrimaryName;
        if (!a.Names.ToHashSet().SetEquals(b.Names)) f |= ListedField.Names;
        if (a.ListedOn != b.ListedOn) f |= ListedField.ListedOn;
        if (!a.LastUpdated.ToHashSet().SetEquals(b.LastUpdated)) f |= ListedField.LastUpdated;
        if (!string.Equals(a.Comments, b.Comments, StringComparison.Ordinal)) f |= ListedField.Comments;
        return f;
    }

    private static SortedDictionary<string, ListedRecord> ByKey(IEnumerable<ListedRecord> records, string name)
    {
        var map = new SortedDictionary<string, ListedRecord>(StringComparer.Ordinal);
        foreach (var r in records)
            if (!map.TryAdd(r.Key, r))
                throw new ArgumentException($"Duplicate key '{r.Key}' in the {name} list.", name);
        return map;
    }
}
