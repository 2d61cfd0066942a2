namespace Bulwark.Core.Signals.Entities.Importers;

/// <summary>Whether a listed record designates a natural person or an organisation.</summary>
public enum ListedKind
{
    Individual,
    Entity,
}

/// <summary>How much a name can be relied on: strong names and aliases match freely, weak ones only exactly, former names are historical.</summary>
public enum NameGrade
{
    Strong,
    Weak,
    Former,
}

/// <summary>One name of a listed record. <paramref name="OriginalScript"/> is set for names in a non-Latin script (e.g. the UN's NAME_ORIGINAL_SCRIPT).</summary>
public sealed record ListedName(string Name, NameGrade Grade, bool OriginalScript = false);

/// <summary>
/// One record of a designated-entity list as published, before it becomes an entity in the database.
/// <see cref="Key"/> is the source's stable identifier (UN DATAID, EU logicalId, CSV normalised key) and is what diffs compare by.
/// <see cref="Names"/> starts with the primary name.
/// </summary>
public sealed record ListedRecord(
    string Source,
    string Key,
    string? ReferenceNumber,
    ListedKind Kind,
    string? ListType,
    string PrimaryName,
    IReadOnlyList<ListedName> Names,
    DateOnly? ListedOn,
    IReadOnlyList<DateOnly> LastUpdated,
    string? Comments);
