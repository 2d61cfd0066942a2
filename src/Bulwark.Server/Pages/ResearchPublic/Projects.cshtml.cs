using Bulwark.Core.Reports.Research;
using Bulwark.Server.ConsoleUi;

namespace Bulwark.Server.Pages.ResearchPublic;

/// <summary>The public register of approved research projects (summaries only; no personal data).</summary>
public sealed class ProjectsModel(ResearchProjects projects) : ConsolePageModel
{
    public IReadOnlyList<PublicProject> Projects { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Projects = await projects.PublicAsync(ct);
}
