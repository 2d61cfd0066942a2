using System.Globalization;
using Bulwark.Core.Reports.Research;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.ResearchPublic;

/// <summary>
/// The researcher's application form (public, no sign-in): organisation, independence, funding, description, the catalogue
/// entries and fields requested, time frame, safeguards and a public summary. Filed through <see cref="ResearchProjects"/>.
/// </summary>
public sealed class ApplyModel(ResearchProjects projects, IStringLocalizer<ConsoleText> t) : ConsolePageModel
{
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? Organisation { get; set; }
    [BindProperty] public string? ApplicantName { get; set; }
    [BindProperty] public string? ApplicantEmail { get; set; }
    [BindProperty] public string? IndependenceDeclaration { get; set; }
    [BindProperty] public string? Funding { get; set; }
    [BindProperty] public string? Description { get; set; }
    [BindProperty] public string? Safeguards { get; set; }
    [BindProperty] public string? PublicSummary { get; set; }
    [BindProperty] public string? Start { get; set; }
    [BindProperty] public string? End { get; set; }
    /// <summary>Checked fields as <c>dataset:field</c>.</summary>
    [BindProperty] public List<string> Fields { get; set; } = [];
    public long? FiledId { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var requested = Fields.Select(f => f.Split(':', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0]).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(p => p[1]).ToList());
        var start = Date(Start, "start");
        var end = Date(End, "end");
        if (Errors.Count == 0)
        {
            var result = await projects.ApplyAsync(new ResearchApplication(Title, Organisation, ApplicantName, ApplicantEmail, IndependenceDeclaration,
                Funding, Description, Safeguards, PublicSummary, requested, start, end), "research-applicant", ct);
            if (result.Ok)
            {
                FiledId = result.Value;
                return Page();
            }
            Errors.AddRange(result.Errors.Select(e => $"{e.Field}: {e.Message}"));
        }
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private DateOnly? Date(string? value, string field)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        Errors.Add(t["Research.BadDate", field]);
        return null;
    }
}
