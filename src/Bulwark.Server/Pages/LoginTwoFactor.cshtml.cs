using Bulwark.Core.Security.Users;
using Bulwark.Server.ConsoleUi;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Pages;

/// <summary>The second step of sign-in: a TOTP code from the user's app, or one of their recovery codes (each works once).</summary>
public sealed class LoginTwoFactorModel(SignInManager<ConsoleUser> signIn, ConsoleUserService users, ConsoleUserOptions options, IStringLocalizer<ConsoleText> t)
    : ConsolePageModel
{
    [BindProperty] public string? Code { get; set; }
    [BindProperty] public string? RecoveryCode { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Login") : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null) return RedirectToPage("/Login");
        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal);
        var recovery = (RecoveryCode ?? "").Replace(" ", "", StringComparison.Ordinal);
        if (code.Length == 0 && recovery.Length == 0)
        {
            Errors.Add(t["TwoFactorLogin.Missing"]);
            return Page();
        }
        var result = code.Length > 0
            ? await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false)
            : await signIn.TwoFactorRecoveryCodeSignInAsync(recovery);
        var how = code.Length > 0 ? "totp" : "recovery_code";
        if (result.Succeeded)
        {
            await users.RecordSignInAsync(user.UserName!, "succeeded_" + how, ct);
            if (ConsoleLanguages.IsKnown(user.Language)) ConsoleSetup.SetLanguageCookie(Response, user.Language!, options.SecureCookies);
            return LocalRedirect(LoginModel.SafeReturnUrl(ReturnUrl));
        }
        await users.RecordSignInAsync(user.UserName!, result.IsLockedOut ? "locked_out" : "failed_" + how, ct);
        Errors.Add(result.IsLockedOut ? t["Login.LockedOut", options.LockoutMinutes] : t["TwoFactorLogin.Failed"]);
        return Page();
    }
}
