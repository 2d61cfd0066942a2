using Bulwark.Core.Reports.Transparency;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Reports;

/// <summary>Transparency reports for policy admins (auditors read): create a draft from the rollups, check it, publish it.</summary>
public sealed class ReportsModel(TransparencyReports reports, IStringLocalizer<ConsoleText> t) : ConsolePageModel
{
    public IReadOnlyList<ReportSummary> Items { get; private set; } = [];

    [BindProperty] public string? Kind { get; set; }
    [BindProperty] public string? Start { get; set; }
    [BindProperty] public string? End { get; set; }
    [BindProperty] public string? Service { get; set; }
    [BindProperty] public string? Note { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Items = await reports.ListAsync(false, ct);

    public async Task<IActionResult> OnPostDraftAsync(CancellationToken ct)
    {
        var (period, error) = ReportPeriod.Of(Start, End);
        if (Kind is null || !ReportKinds.All.Contains(Kind)) error = $"report kind must be one of {string.Join(", ", ReportKinds.All)}";
        if (error is null)
        {
            try
            {
                var r = await reports.CreateDraftAsync(Kind!, period!.Value, Service, Actor, Note, ct);
                Flash(string.Format(System.Globalization.CultureInfo.CurrentCulture, t["Reports.DraftCreated"], r.Id, r.Kind, r.Period, r.Version));
                return RedirectToPage();
            }
            catch (ReportRefusedException ex) { error = ex.Message; }
        }
        Errors.Add(error!);
        Items = await reports.ListAsync(false, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostPublishAsync(long id, CancellationToken ct)
    {
        try
        {
            var r = await reports.PublishAsync(id, Actor, ct);
            Flash(string.Format(System.Globalization.CultureInfo.CurrentCulture, t["Reports.PublishedFlash"], r.Id, r.Kind, r.Period, r.Version));
            return RedirectToPage();
        }
        catch (ReportRefusedException ex)
        {
            Errors.Add(ex.Message);
            Items = await reports.ListAsync(false, ct);
            return Page();
        }
    }

    /// <summary>A file of a draft or published report, for checking before publication.</summary>
    public async Task<IActionResult> OnGetFileAsync(long id, string name, CancellationToken ct) =>
        await reports.FileAsync(id, name, includeDrafts: true, ct) is { } f ? File(f.Content, f.ContentType, f.Name) : NotFound();
}
