using Bulwark.Core.Reports.Transparency;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Reports;

/// <summary>
/// The DSA report's qualitative texts (table 11) and human-resources items (table 10) for one report period, written by a
/// policy admin (auditors read). A draft made afterwards carries them; a published report never changes.
/// </summary>
public sealed class QualitativeModel(QualitativeTexts texts, TransparencyOptions options, IStringLocalizer<ConsoleText> t) : ConsolePageModel
{
    [BindProperty(SupportsGet = true)] public string? Start { get; set; }
    [BindProperty(SupportsGet = true)] public string? End { get; set; }
    [BindProperty] public Dictionary<string, string?> Texts { get; set; } = [];

    public ReportPeriod? Period { get; private set; }
    public IReadOnlyDictionary<string, string> Written { get; private set; } = new Dictionary<string, string>();
    public string Default(string key) => options.Qualitative.TryGetValue(key, out var v) ? v : "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (Start is null && End is null) return;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return Page();
        try
        {
            var changed = await texts.SaveAsync(Period!.Value, Texts, Actor, ct);
            Flash(string.Format(System.Globalization.CultureInfo.CurrentCulture, t["ReportsQualitative.Saved"], changed.Count, Period));
            return RedirectToPage(new { Start, End });
        }
        catch (ReportRefusedException ex)
        {
            Errors.Add(ex.Message);
            return Page();
        }
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var (period, error) = ReportPeriod.Of(Start, End);
        if (error is not null)
        {
            Errors.Add(error);
            return false;
        }
        Period = period;
        Written = await texts.WrittenAsync(period!.Value, ct);
        return true;
    }
}
