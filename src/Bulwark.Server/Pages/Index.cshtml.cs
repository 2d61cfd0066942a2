using Bulwark.Core.Security;
using Bulwark.Server.ConsoleUi;

namespace Bulwark.Server.Pages;

/// <summary>Home: who you are, your roles, and the parts of the console your roles open.</summary>
public sealed class IndexModel : ConsolePageModel
{
    public IReadOnlyList<string> Roles { get; private set; } = [];
    public IReadOnlyList<ConsoleArea> Areas { get; private set; } = [];

    public void OnGet()
    {
        Roles = ConsoleRoles.All.Where(User.IsInRole).ToList();
        Areas = ConsoleAreas.All.Where(a => a.CanRead(User)).ToList();
    }
}
