namespace Bulwark.Matching.Tests.Text.Quality;

/// <summary>One row of un_sc_name_variants_2025-11-20.csv.</summary>
public sealed record UnNameVariant(int DataId, string Kind, string Quality, string Name)
{
    /// <summary>The UN grades some aliases "Low"; they are used only as exact names.</summary>
    public bool IsWeak => Quality == "Low";

    public static IReadOnlyList<UnNameVariant> Load(string path)
    {
        var rows = Csv.Parse(File.ReadAllText(path)).ToList();
        var header = rows[0];
        int Col(string name) => Array.IndexOf(header, name);
        int id = Col("dataid"), variant = Col("name_variant"), kind = Col("variant_kind"), quality = Col("alias_quality");
        return rows.Skip(1).Where(r => r.Length > quality && r[variant].Trim().Length > 0)
            .Select(r => new UnNameVariant(int.Parse(r[id], System.Globalization.CultureInfo.InvariantCulture), r[kind], r[quality], r[variant]))
            .ToList();
    }
}

/// <summary>RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks.</summary>
internal static class Csv
{
    public static IEnumerable<string[]> Parse(string text)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (c == '\n')
            {
                fields.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                yield return [.. fields];
                fields.Clear();
            }
            else field.Append(c);
        }
        if (field.Length > 0 || fields.Count > 0) { fields.Add(field.ToString()); yield return [.. fields]; }
    }
}
