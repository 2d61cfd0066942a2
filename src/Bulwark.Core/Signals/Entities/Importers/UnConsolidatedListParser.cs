using System.Xml;

namespace Bulwark.Core.Signals.Entities.Importers;

/// <summary>
/// Parses the UN Security Council Consolidated List XML (CONSOLIDATED_LIST / INDIVIDUALS / INDIVIDUAL, ENTITIES / ENTITY), streaming.
/// DATAID is the stable key. Elements outside the ones read here are ignored; empty placeholder aliases are dropped;
/// "A; B" in one ALIAS_NAME becomes two names. Duplicate DATAIDs and reference numbers are reported as errors (the duplicate is dropped).
/// </summary>
public static class UnConsolidatedListParser
{
    public const string Source = "un-sc";

    public static ListParseResult ParseFile(string path, ListParserOptions? options = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        return Parse(stream, options);
    }

    public static ListParseResult Parse(Stream input, ListParserOptions? options = null) =>
        SafeXml.Run(input, options, reader =>
        {
            var records = new List<ListedRecord>();
            var issues = new List<ListParseIssue>();
            var keys = new HashSet<string>(StringComparer.Ordinal);
            var references = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "CONSOLIDATED_LIST")
                throw new ListFormatException($"Not a UN consolidated list: the root element is <{reader.LocalName}>, expected <CONSOLIDATED_LIST>.", SafeXml.Line(reader));

            SafeXml.ForEachChild(reader, section =>
            {
                var kind = section.LocalName switch
                {
                    "INDIVIDUALS" => ListedKind.Individual,
                    "ENTITIES" => ListedKind.Entity,
                    _ => (ListedKind?)null,
                };
                if (kind is null) { section.Skip(); return; }
                var recordElement = kind == ListedKind.Individual ? "INDIVIDUAL" : "ENTITY";
                SafeXml.ForEachChild(section, r =>
                {
                    if (r.LocalName != recordElement) { r.Skip(); return; }
                    var line = SafeXml.Line(r);
                    var record = ReadRecord(r, kind.Value, line, issues);
                    if (record is null) return;
                    if (!keys.Add(record.Key))
                    {
                        issues.Add(new(ListIssueSeverity.Error, line, record.Key, $"Duplicate DATAID {record.Key}."));
                        return;
                    }
                    if (record.ReferenceNumber is { } reference)
                    {
                        if (references.TryGetValue(reference, out var other))
                        {
                            issues.Add(new(ListIssueSeverity.Error, line, record.Key, $"Duplicate reference number {reference} (also on DATAID {other})."));
                            return;
                        }
                        references[reference] = record.Key;
                    }
                    records.Add(record);
                });
            });
            return new ListParseResult(records, issues);
        });

    private static ListedRecord? ReadRecord(XmlReader reader, ListedKind kind, int line, List<ListParseIssue> issues)
    {
        string? dataId = null, reference = null, listType = null, listedOn = null, comments = null, originalScript = null;
        var nameParts = new string?[4];
        var aliases = new List<ListedName>();
        var updated = new List<string>();
        var aliasElement = kind == ListedKind.Individual ? "INDIVIDUAL_ALIAS" : "ENTITY_ALIAS";
        var unknownQualities = new List<string>();

        SafeXml.ForEachChild(reader, r =>
        {
            switch (r.LocalName)
            {
                case "DATAID": dataId = NameText.Clean(SafeXml.Text(r)); break;
                case "FIRST_NAME": nameParts[0] = SafeXml.Text(r); break;
                case "SECOND_NAME": nameParts[1] = SafeXml.Text(r); break;
                case "THIRD_NAME": nameParts[2] = SafeXml.Text(r); break;
                case "FOURTH_NAME": nameParts[3] = SafeXml.Text(r); break;
                case "UN_LIST_TYPE": listType = NameText.Clean(SafeXml.Text(r)); break;
                case "REFERENCE_NUMBER": reference = NameText.Clean(SafeXml.Text(r)); break;
                case "LISTED_ON": listedOn = NameText.Clean(SafeXml.Text(r)); break;
                case "COMMENTS1": comments = SafeXml.Text(r)?.Trim(); break;
                case "NAME_ORIGINAL_SCRIPT": originalScript = NameText.Clean(SafeXml.Text(r)); break;
                case "LAST_DAY_UPDATED":
                    SafeXml.ForEachChild(r, v =>
                    {
                        if (v.LocalName != "VALUE") { v.Skip(); return; }
                        if (NameText.Clean(SafeXml.Text(v)) is { } value) updated.Add(value);
                    });
                    break;
                case var name when name == aliasElement:
                    string? quality = null, aliasName = null;
                    SafeXml.ForEachChild(r, a =>
                    {
                        switch (a.LocalName)
                        {
                            case "QUALITY": quality = NameText.Clean(SafeXml.Text(a)); break;
                            case "ALIAS_NAME": aliasName = SafeXml.Text(a); break;
                            default: a.Skip(); break;
                        }
                    });
                    if (aliasName is null || NameText.Clean(aliasName) is null) break; // empty placeholder
                    var grade = GradeOf(quality);
                    if (grade is null) unknownQualities.Add(quality ?? "(none)");
                    foreach (var part in NameText.SplitAliases(aliasName))
                        aliases.Add(new ListedName(part, grade ?? NameGrade.Weak, NameText.HasNonLatinLetters(part)));
                    break;
                default: r.Skip(); break;
            }
        });

        if (dataId is null)
        {
            issues.Add(new(ListIssueSeverity.Error, line, reference, "Record without DATAID."));
            return null;
        }
        var primary = NameText.Clean(string.Join(' ', nameParts.Where(p => !string.IsNullOrWhiteSpace(p))));
        if (primary is null)
        {
            issues.Add(new(ListIssueSeverity.Error, line, dataId, "Record without a name (FIRST_NAME..FOURTH_NAME are empty)."));
            return null;
        }
        if (reference is null) issues.Add(new(ListIssueSeverity.Error, line, dataId, "Record without REFERENCE_NUMBER."));
        foreach (var q in unknownQualities)
            issues.Add(new(ListIssueSeverity.Warning, line, dataId, $"Unknown alias QUALITY '{q}', treated as weak."));

        DateOnly? listed = null;
        if (listedOn is not null)
        {
            if (NameText.TryParseDate(listedOn, out var d)) listed = d;
            else issues.Add(new(ListIssueSeverity.Error, line, dataId, $"LISTED_ON '{listedOn}' is not a date."));
        }
        var updates = new List<DateOnly>();
        foreach (var u in updated)
        {
            if (NameText.TryParseDate(u, out var d)) updates.Add(d);
            else issues.Add(new(ListIssueSeverity.Error, line, dataId, $"LAST_DAY_UPDATED '{u}' is not a date."));
        }
        updates.Sort();

        var names = new List<ListedName> { new(primary, NameGrade.Strong, NameText.HasNonLatinLetters(primary)) };
        if (originalScript is not null) names.Add(new ListedName(originalScript, NameGrade.Strong, OriginalScript: true));
        names.AddRange(aliases);

        return new ListedRecord(Source, dataId, reference, kind, listType, primary, NameText.Dedupe(names),
            listed, updates.Distinct().ToList(), string.IsNullOrEmpty(comments) ? null : comments);
    }

    /// <summary>Good and a.k.a. → strong; Low → weak; f.k.a. → former; anything else → null.</summary>
    public static NameGrade? GradeOf(string? quality) => quality?.Trim().ToLowerInvariant() switch
    {
        "good" or "a.k.a." or "aka" => NameGrade.Strong,
        "low" => NameGrade.Weak,
        "f.k.a." or "fka" => NameGrade.Former,
        _ => null,
    };
}
