using System.Globalization;
using Bulwark.Core.Reports.Research;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Research;

/// <summary>
/// Research applications for policy admins (auditors read): approve, narrow (untick fields) or reject with a reason, set the
/// end date; add members to approved projects (the client secret is shown once, on this answer only). All through
/// <see cref="ResearchProjects"/>, which audits every change.
/// </summary>
public sealed class ResearchIndexModel(ResearchProjects projects, IStringLocalizer<ConsoleText> t) : ConsolePageModel
{
    public IReadOnlyList<ResearchProjectRow> Applications { get; private set; } = [];
    public IReadOnlyList<(ResearchProjectRow Project, IReadOnlyList<ResearchMemberRow> Members)> Approved { get; private set; } = [];
    public NewMember? Created { get; private set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostDecideAsync(long id, string? decision, string? reason, string? endDate, List<string> fields, CancellationToken ct)
    {
        DateOnly? end = null;
        if (!string.IsNullOrEmpty(endDate))
        {
            if (DateOnly.TryParseExact(endDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) end = d;
            else Errors.Add(t["Research.BadDate", "endDate"]);
        }
        IReadOnlyDictionary<string, IReadOnlyList<string>>? grant = null;
        if (decision == ProjectDecisions.Narrow)
            grant = fields.Select(f => f.Split(':', 2)).Where(p => p.Length == 2).GroupBy(p => p[0])
                .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(p => p[1]).ToList());
        if (Errors.Count == 0)
        {
            var result = await projects.DecideAsync(id, new ProjectDecision(decision ?? "", reason, grant, end), Actor, ct);
            if (result.Ok)
            {
                Flash(t["Research.Decided.Flash", id, result.Value!.Status]);
                return RedirectToPage();
            }
            Errors.AddRange(result.Errors.Select(e => $"{e.Field}: {e.Message}"));
        }
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostMemberAsync(long id, string? name, CancellationToken ct)
    {
        var result = await projects.AddMemberAsync(id, name, Actor, ct);
        if (result.Ok) Created = result.Value;
        else
        {
            Errors.AddRange(result.Errors.Select(e => $"{e.Field}: {e.Message}"));
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Applications = await projects.ListAsync(ProjectStatus.Applied, ct);
        var approved = new List<(ResearchProjectRow, IReadOnlyList<ResearchMemberRow>)>();
        foreach (var p in await projects.ListAsync(ProjectStatus.Approved, ct)) approved.Add((p, await projects.MembersAsync(p.Id, ct)));
        Approved = approved;
    }
}
