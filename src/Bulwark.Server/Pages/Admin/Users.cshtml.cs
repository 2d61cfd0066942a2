using Bulwark.Core.Security;
using Bulwark.Core.Security.Users;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages.Admin;

/// <summary>
/// Administration of console users (administrators change, auditors read): create, roles, lock and unlock, reset the second
/// factor. An administrator cannot lock themselves out or drop their own administrator role here (the CLI still can).
/// </summary>
public sealed class UsersModel(ConsoleUserService users, ConsoleUserOptions options, IStringLocalizer<ConsoleText> t) : ConsolePageModel
{
    public IReadOnlyList<ConsoleUserView> Users { get; private set; } = [];
    public int MinPasswordLength => options.MinPasswordLength;

    public async Task OnGetAsync(CancellationToken ct) => Users = await users.ListAsync(ct);

    public Task<IActionResult> OnPostCreateAsync(string? userName, string? password, string[]? roles, CancellationToken ct) =>
        ApplyAsync(() => users.CreateAsync(userName ?? "", password ?? "", roles ?? [], Actor, ct), t["Users.Created.Flash", userName ?? ""], ct);

    public Task<IActionResult> OnPostRolesAsync(string? userName, string[]? roles, CancellationToken ct)
    {
        if (IsSelf(userName) && roles?.Contains(ConsoleRoles.Administrator) != true) return RefuseAsync(t["Users.NotSelf"], ct);
        return ApplyAsync(() => users.SetRolesAsync(userName ?? "", roles ?? [], Actor, ct), t["Users.Roles.Flash", userName ?? ""], ct);
    }

    public Task<IActionResult> OnPostDisableAsync(string? userName, CancellationToken ct) =>
        IsSelf(userName) ? RefuseAsync(t["Users.NotSelf"], ct)
            : ApplyAsync(() => users.SetDisabledAsync(userName ?? "", true, Actor, ct), t["Users.Locked.Flash", userName ?? ""], ct);

    public Task<IActionResult> OnPostEnableAsync(string? userName, CancellationToken ct) =>
        ApplyAsync(() => users.SetDisabledAsync(userName ?? "", false, Actor, ct), t["Users.Unlocked.Flash", userName ?? ""], ct);

    public Task<IActionResult> OnPostResetTwoFactorAsync(string? userName, CancellationToken ct) =>
        ApplyAsync(() => users.ResetTwoFactorAsync(userName ?? "", Actor, ct), t["Users.Reset.Flash", userName ?? ""], ct);

    private bool IsSelf(string? userName) => string.Equals(userName, User.Identity?.Name, StringComparison.OrdinalIgnoreCase);

    private async Task<IActionResult> ApplyAsync(Func<Task<UserOutcome>> change, string done, CancellationToken ct)
    {
        var outcome = await change();
        if (outcome.Succeeded)
        {
            Flash(done);
            return RedirectToPage();
        }
        return await RefuseAsync(outcome.Errors, ct);
    }

    private Task<IActionResult> RefuseAsync(string error, CancellationToken ct) => RefuseAsync([error], ct);

    private async Task<IActionResult> RefuseAsync(IEnumerable<string> errors, CancellationToken ct)
    {
        Errors.AddRange(errors);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        Users = await users.ListAsync(ct);
        return Page();
    }
}
