using System.Text;

namespace Bulwark.Core.Reports.Research;

/// <summary>The catalogue as data (for <c>GET /research/v1/catalogue</c>) and as the Markdown codebook, from the same definitions.</summary>
public static class Codebook
{
    public static object Catalogue() => new
    {
        version = ResearchCatalogue.Version,
        datasets = ResearchCatalogue.All.Select(d => new
        {
            name = d.Name, title = d.Title, description = d.Description, modality = d.Modality,
            sensitivity = Name(d.Sensitivity), date_field = d.DateField,
            endpoints = d.Queryable ? new[] { $"/research/v1/{d.Name}/query", $"/research/v1/{d.Name}/aggregate" } : [$"/research/v1/{d.Name}/aggregate"],
            changelog = d.Changelog.Select(c => new { version = c.Version, note = c.Note }),
            fields = d.Fields.Select(f => new
            {
                name = f.Name, type = Name(f.Type), sensitivity = Name(f.Sensitivity), description = f.Description,
                returned = f.Returned, operations = f.Operations, groupable = f.Groupable, modality = f.Modality,
                changelog = f.Changelog.Select(c => new { version = c.Version, note = c.Note }),
            }),
        }),
    };

    public static string Markdown()
    {
        var s = new StringBuilder();
        s.AppendLine("# Researcher API codebook");
        s.AppendLine();
        s.AppendLine($"Catalogue version {ResearchCatalogue.Version}. Generated from `src/Bulwark.Core/Reports/Research/ResearchCatalogue.cs` by `bulwark research codebook`; the API serves the same definitions at `GET /research/v1/catalogue`. Do not edit by hand.");
        foreach (var d in ResearchCatalogue.All)
        {
            s.AppendLine();
            s.AppendLine($"## `{d.Name}` — {d.Title}");
            s.AppendLine();
            s.AppendLine(d.Description);
            s.AppendLine();
            s.AppendLine($"Modality: **{d.Modality}**{(d.Queryable ? " (items through `/query`, counts through `/aggregate`)" : " (counts through `/aggregate` only)")}. Sensitivity: {Name(d.Sensitivity)}. Date window: {(d.DateField is null ? "none" : $"`start_date`/`end_date` on `{d.DateField}`")}.");
            s.AppendLine();
            s.AppendLine("| field | type | sensitivity | returned | operations | group-by | description |");
            s.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var f in d.Fields)
                s.AppendLine($"| `{f.Name}` | {Name(f.Type)} | {Name(f.Sensitivity)} | {(f.Returned ? "yes" : "no")} | {(f.Operations.Count == 0 ? "—" : string.Join(", ", f.Operations))} | {(f.Groupable ? "yes" : "no")} | {f.Description} |");
            s.AppendLine();
            s.AppendLine("Changelog: " + string.Join("; ", d.Changelog.Select(c => $"{c.Version} {c.Note}")));
        }
        return s.ToString();
    }

    private static string Name<T>(T value) where T : Enum => value.ToString() switch
    {
        "StringList" => "string_list",
        var n => n.ToLowerInvariant(),
    };
}
