using System.ComponentModel.DataAnnotations;
using Bulwark.Core.Signals.Entities.Importers;

namespace Bulwark.Core.Signals.Entities;

/// <summary>Settings of the designated-entity registry and screening (section <c>Bulwark:Entities</c>).</summary>
public sealed class EntityOptions : IValidatableObject
{
    public const string Section = "Bulwark:Entities";

    /// <summary>Smallest name-matcher score (0..1) reported for handles, display names and <c>POST /screen {"name"}</c>.
    /// 0.94 meets the false-match and obfuscated-recall targets on the UN list (docs/matching-notes-text.md).</summary>
    [Range(0.5, 1.0)] public double NameThreshold { get; set; } = 0.94;
    /// <summary>An import whose list shrank by more than this fraction is refused unless forced (likely a truncated download).</summary>
    [Range(0.0, 1.0)] public double MaxShrinkFraction { get; set; } = 0.2;
    /// <summary>Largest list file an import accepts.</summary>
    [Range(1024, 1L << 32)] public long MaxImportBytes { get; set; } = 64L * 1024 * 1024;
    /// <summary>Largest text (UTF-16 chars) <c>POST /screen</c> accepts; the pipeline screens longer texts in windows.</summary>
    [Range(1, 4 * 1024 * 1024)] public int MaxScreenChars { get; set; } = 65536;
    /// <summary>How often the screening index checks for registry changes made by other processes.</summary>
    [Range(1, 3600)] public int RefreshSeconds { get; set; } = 5;

    /// <summary>Per-source settings; <c>un-sc</c> and <c>eu</c> have built-in defaults, any other name is a CSV source.</summary>
    public Dictionary<string, ListSourceOptions> Sources { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The settings of <paramref name="source"/>: configured, else the built-in default (CSV for unknown names).</summary>
    public ListSourceOptions Source(string source) =>
        Sources.TryGetValue(source, out var configured) ? configured.WithDefaults(source) : ListSourceOptions.Default(source);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, s) in Sources)
        {
            var o = s.WithDefaults(name);
            if (!ListFormats.All.Contains(o.Format!))
                yield return new ValidationResult($"{Section}:Sources:{name}:Format '{o.Format}' is not one of {string.Join(", ", ListFormats.All)}.");
            foreach (var (type, tier) in o.ListTypeTiers!.Append(new("(default)", o.DefaultTier!)))
                if (!EntityTiers.All.Contains(tier))
                    yield return new ValidationResult($"{Section}:Sources:{name}: tier '{tier}' for list type '{type}' is not one of {string.Join(", ", EntityTiers.All)}.");
        }
    }
}

public static class ListFormats
{
    public const string UnSc = UnConsolidatedListParser.Source;
    public const string Eu = EuSanctionsParser.Source;
    public const string Csv = "csv";
    public static readonly IReadOnlyList<string> All = [UnSc, Eu, Csv];
}

/// <summary>
/// How a list source's records enter the registry: which parser reads it, which tier each list type maps to (organisations;
/// individuals are always <see cref="EntityTiers.ViolentExtremistIndividual"/>), and which list types are approved on import.
/// Everything else enters as <c>proposed</c> for expert review.
/// </summary>
public sealed class ListSourceOptions
{
    /// <summary><c>un-sc</c>, <c>eu</c> or <c>csv</c>.</summary>
    public string? Format { get; set; }
    public string? DefaultTier { get; set; }
    public Dictionary<string, string>? ListTypeTiers { get; set; }
    /// <summary>List types whose records are approved on import; <c>*</c> approves every record of the source.</summary>
    public List<string>? AutoApproveListTypes { get; set; }

    public string TierFor(string kind, string? listType) =>
        kind == EntityKinds.Individual ? EntityTiers.ViolentExtremistIndividual
        : listType is not null && ListTypeTiers!.TryGetValue(listType, out var tier) ? tier : DefaultTier!;

    public bool AutoApproves(string? listType) =>
        AutoApproveListTypes!.Contains("*") || (listType is not null && AutoApproveListTypes!.Contains(listType, StringComparer.OrdinalIgnoreCase));

    internal ListSourceOptions WithDefaults(string source)
    {
        var d = Default(source);
        return new ListSourceOptions
        {
            Format = Format ?? d.Format,
            DefaultTier = DefaultTier ?? d.DefaultTier,
            ListTypeTiers = new Dictionary<string, string>(ListTypeTiers ?? d.ListTypeTiers!, StringComparer.OrdinalIgnoreCase),
            AutoApproveListTypes = AutoApproveListTypes ?? d.AutoApproveListTypes,
        };
    }

    /// <summary>UN: the ISIL (Da'esh) and Al-Qaida list is terrorist and auto-approved; other UN regimes (DPRK, Libya…) are sanctions,
    /// not extremism, and wait for review. EU: proposed. CSV (expert and civil-society lists): proposed, hateful organisations.</summary>
    public static ListSourceOptions Default(string source) => source.ToLowerInvariant() switch
    {
        ListFormats.UnSc => new()
        {
            Format = ListFormats.UnSc, DefaultTier = EntityTiers.ViolentExtremistOrganisation,
            ListTypeTiers = new(StringComparer.OrdinalIgnoreCase) { ["Al-Qaida"] = EntityTiers.TerroristOrganisation, ["Taliban"] = EntityTiers.TerroristOrganisation },
            AutoApproveListTypes = ["Al-Qaida"],
        },
        ListFormats.Eu => new()
        {
            Format = ListFormats.Eu, DefaultTier = EntityTiers.TerroristOrganisation,
            ListTypeTiers = new(StringComparer.OrdinalIgnoreCase), AutoApproveListTypes = [],
        },
        _ => new()
        {
            Format = ListFormats.Csv, DefaultTier = EntityTiers.HatefulOrganisation,
            ListTypeTiers = new(StringComparer.OrdinalIgnoreCase), AutoApproveListTypes = [],
        },
    };
}
