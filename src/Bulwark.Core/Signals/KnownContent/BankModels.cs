namespace Bulwark.Core.Signals.KnownContent;

/// <summary>Behaviour labels of the terrorist-content taxonomy the hash-sharing industry uses; entries may carry others too.</summary>
public static class BehaviourLabels
{
    public const string ImminentThreat = "imminent-credible-threat";
    public const string GraphicViolence = "graphic-violence-against-defenceless-people";
    public const string Glorification = "glorification-of-terrorist-acts";
    public const string Recruitment = "radicalisation-recruitment-or-instruction";
    public const string PerpetratorProduced = "perpetrator-produced-or-crisis-incident";

    public static readonly IReadOnlyList<string> All = [ImminentThreat, GraphicViolence, Glorification, Recruitment, PerpetratorProduced];
}

/// <summary>Per-bank settings; nulls in an update leave the setting as it is.</summary>
public sealed record BankSettings(
    string? Description = null, bool? Safe = null, int? PdqThreshold = null,
    double? VpdqQueryMatchPercent = null, double? VpdqReferenceMatchPercent = null, bool? Enabled = null);

public sealed record BankView(
    int Id, string Name, string? Description, bool Enabled, bool Safe, int PdqThreshold,
    double VpdqQueryMatchPercent, double VpdqReferenceMatchPercent, int Entries, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>An entry to add: a signal (or a file hashed server-side beforehand) and its labels.</summary>
public sealed record NewEntry(string SignalType, string Value, IReadOnlyList<string>? Labels = null, string? Entity = null, string? Source = null, int? Quality = null);

/// <summary>
/// A bank entry; <see cref="RegionHashes"/> counts a vPDQ entry's stored region hashes (halves of frames) and
/// <see cref="UntrimmedFrames"/> its frames hashed with their black bars (when it was hashed from a file that had bars).
/// </summary>
public sealed record EntryView(
    long Id, string Bank, string SignalType, string Value, string? Payload, IReadOnlyList<string> Labels, string? Entity, string? Source,
    int? Quality, bool Enabled, string? AddedBy, DateTimeOffset AddedAt, int RegionHashes = 0, int UntrimmedFrames = 0)
{
    /// <summary>
    /// The frame lines other vPDQ tools would have made of the same file: the untrimmed frames when there are any, else the
    /// frames. Exports write these (not part of the API's JSON: it already carries <see cref="Payload"/>).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? ExportPayload { get; init; }
}

/// <summary>A rejected entry: its position in the request or file (1-based line for files) and why.</summary>
public sealed record EntryError(int Position, string Message);

public sealed record AddEntriesResult(IReadOnlyList<EntryView> Added, IReadOnlyList<EntryError> Errors, bool Applied);

public sealed record EntryPage(IReadOnlyList<EntryView> Entries, long? NextCursor);

/// <summary>An expected failure of a bank operation (unknown bank, duplicate name, invalid setting), with a message for people.</summary>
public sealed class BankException(string message, bool notFound = false) : Exception(message)
{
    public bool NotFound { get; } = notFound;
}
