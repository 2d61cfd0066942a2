using System.Xml;

namespace Bulwark.Core.Signals.Entities.Importers;

/// <summary>
/// Parses the EU consolidated financial sanctions list XML (root <c>export</c> in namespace <see cref="Namespace"/>, one
/// <c>sanctionEntity</c> per designation with <c>@logicalId</c> as the stable key and <c>@euReferenceNumber</c>; <c>subjectType/@code</c>
/// person or enterprise; <c>regulation/@programme</c> and <c>@publicationDate</c>; <c>nameAlias</c> with <c>wholeName</c>,
/// <c>firstName</c>, <c>middleName</c>, <c>lastName</c>, <c>strong</c>, <c>nameLanguage</c>; <c>remark</c>), streaming.
/// Elements are matched by local name; other elements and attributes are ignored.
/// </summary>
public static class EuSanctionsParser
{
    public const string Source = "eu";
    public const string Namespace = "http://eu.europa.ec/fpi/fsd/export";

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
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "export")
                throw new ListFormatException($"Not an EU consolidated list: the root element is <{reader.LocalName}>, expected <export>.", SafeXml.Line(reader));

            SafeXml.ForEachChild(reader, r =>
            {
                if (r.LocalName != "sanctionEntity") { r.Skip(); return; }
                var line = SafeXml.Line(r);
                var record = ReadEntity(r, line, issues);
                if (record is null) return;
                if (!keys.Add(record.Key))
                {
                    issues.Add(new(ListIssueSeverity.Error, line, record.Key, $"Duplicate logicalId {record.Key}."));
                    return;
                }
                if (record.ReferenceNumber is { } reference)
                {
                    if (references.TryGetValue(reference, out var other))
                    {
                        issues.Add(new(ListIssueSeverity.Error, line, record.Key, $"Duplicate euReferenceNumber {reference} (also on logicalId {other})."));
                        return;
                    }
                    references[reference] = record.Key;
                }
                records.Add(record);
            });
            return new ListParseResult(records, issues);
        });

    private static ListedRecord? ReadEntity(XmlReader reader, int line, List<ListParseIssue> issues)
    {
        var key = NameText.Clean(reader.GetAttribute("logicalId"));
        var reference = NameText.Clean(reader.GetAttribute("euReferenceNumber"));
        string? subject = null, remark = null, programme = null;
        var names = new List<ListedName>();
        var dates = new List<DateOnly>();

        SafeXml.ForEachChild(reader, r =>
        {
            switch (r.LocalName)
            {
                case "subjectType":
                    subject = NameText.Clean(r.GetAttribute("code"));
                    r.Skip();
                    break;
                case "regulation":
                    programme ??= NameText.Clean(r.GetAttribute("programme"));
                    var published = r.GetAttribute("publicationDate");
                    if (published is not null)
                    {
                        if (NameText.TryParseDate(published, out var d)) dates.Add(d);
                        else issues.Add(new(ListIssueSeverity.Error, SafeXml.Line(r), key, $"regulation/@publicationDate '{published}' is not a date."));
                    }
                    r.Skip();
                    break;
                case "nameAlias":
                    var whole = NameText.Clean(r.GetAttribute("wholeName"))
                        ?? NameText.Clean(string.Join(' ', new[] { r.GetAttribute("firstName"), r.GetAttribute("middleName"), r.GetAttribute("lastName") }
                            .Where(p => !string.IsNullOrWhiteSpace(p))));
                    var strong = !string.Equals(r.GetAttribute("strong")?.Trim(), "false", StringComparison.OrdinalIgnoreCase);
                    if (whole is not null)
                        names.Add(new ListedName(whole, strong ? NameGrade.Strong : NameGrade.Weak, NameText.HasNonLatinLetters(whole)));
                    r.Skip();
                    break;
                case "remark":
                    var text = SafeXml.Text(r)?.Trim();
                    if (!string.IsNullOrEmpty(text)) remark = remark is null ? text : remark + Environment.NewLine + text;
                    break;
                default:
                    r.Skip();
                    break;
            }
        });

        if (key is null)
        {
            issues.Add(new(ListIssueSeverity.Error, line, reference, "sanctionEntity without logicalId."));
            return null;
        }
        ListedKind? kind = subject?.ToLowerInvariant() switch
        {
            "person" => ListedKind.Individual,
            "enterprise" => ListedKind.Entity,
            _ => null,
        };
        if (kind is null)
        {
            issues.Add(new(ListIssueSeverity.Error, line, key, $"subjectType code '{subject ?? "(none)"}' is neither person nor enterprise."));
            return null;
        }
        var primary = names.FirstOrDefault(n => n.Grade == NameGrade.Strong && !n.OriginalScript) ?? names.FirstOrDefault(n => n.Grade == NameGrade.Strong) ?? names.FirstOrDefault();
        if (primary is null)
        {
            issues.Add(new(ListIssueSeverity.Error, line, key, "sanctionEntity without a name."));
            return null;
        }
        var ordered = NameText.Dedupe(new[] { primary }.Concat(names));
        dates.Sort();
        DateOnly? listedOn = dates.Count > 0 ? dates[0] : null;
        var updated = dates.Skip(1).Distinct().ToList();
        return new ListedRecord(Source, key, reference, kind.Value, programme, primary.Name, ordered, listedOn, updated, remark);
    }
}
