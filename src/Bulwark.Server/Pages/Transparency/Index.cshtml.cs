using Bulwark.Core.Reports.Transparency;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Bulwark.Server.Pages.Transparency;

/// <summary>The public list of published transparency reports and their downloads; no sign-in.</summary>
public sealed class TransparencyModel(TransparencyReports reports) : PageModel
{
    public IReadOnlyList<ReportSummary> Items { get; private set; } = [];
    public async Task OnGetAsync(CancellationToken ct) => Items = await reports.ListAsync(publishedOnly: true, ct);
}
