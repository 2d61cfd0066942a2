using System.CommandLine;
using Bulwark.Core.Security;
using Bulwark.Core.Security.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Cli.Commands;

/// <summary>
/// <c>users create|list|set-roles|set-password|disable|enable|reset-2fa</c>: the moderator console's users, for an administrator
/// at a terminal (the first administrator is made here). Every change is audited with the actor <c>cli</c>.
/// </summary>
public static class UserCommands
{
    private const string CliActor = "cli";

    public static Command Create(Option<string?> config)
    {
        var username = new Option<string>("--username") { Description = "The user name (letters, digits, - . _ @).", Required = true };
        var role = new Option<string[]>("--role") { Description = $"A role (repeat for several): {string.Join(", ", ConsoleRoles.All)}.", Required = true, AllowMultipleArgumentsPerToken = false };
        var password = new Option<string?>("--password") { Description = "The password; when absent it is read from standard input (one line)." };

        var create = new Command("create", "Create a console user with one or more roles.") { username, role, password };
        create.SetAction(async (parse, ct) =>
        {
            var secret = parse.GetValue(password) ?? ReadPassword();
            return await WithUsers(parse.GetValue(config), async users =>
            {
                Check(await users.CreateAsync(parse.GetValue(username)!, secret, parse.GetValue(role)!, CliActor, ct));
                Console.WriteLine($"Created {parse.GetValue(username)} with role(s) {string.Join(", ", parse.GetValue(role)!)}.");
            });
        });

        var list = new Command("list", "List console users as CSV: user,roles,state,second_factor,created (roles separated by ';').");
        list.SetAction(async (parse, ct) => await WithUsers(parse.GetValue(config), async users =>
        {
            var all = await users.ListAsync(ct);
            Console.WriteLine("user,roles,state,second_factor,created");
            foreach (var u in all)
                Console.WriteLine(CsvCells.Row(u.UserName, string.Join(';', u.Roles),
                    u.Disabled ? "disabled" : u.LockedUntil is { } until ? $"locked until {until:u}" : "active",
                    u.TwoFactorEnabled ? "on" : "off", u.CreatedAt.ToString("u")));
            Console.Error.WriteLine($"{all.Count} user(s).");
        }));

        var setRoles = new Command("set-roles", "Replace a user's roles; their open sessions end.") { username, role };
        setRoles.SetAction(async (parse, ct) => await WithUsers(parse.GetValue(config), async users =>
        {
            Check(await users.SetRolesAsync(parse.GetValue(username)!, parse.GetValue(role)!, CliActor, ct));
            Console.WriteLine($"{parse.GetValue(username)} now has role(s) {string.Join(", ", parse.GetValue(role)!)}.");
        }));

        var setPassword = new Command("set-password", "Set a new password for a user (read from standard input unless --password).") { username, password };
        setPassword.SetAction(async (parse, ct) =>
        {
            var secret = parse.GetValue(password) ?? ReadPassword();
            return await WithUsers(parse.GetValue(config), async users =>
            {
                Check(await users.SetPasswordAsync(parse.GetValue(username)!, secret, CliActor, ct));
                Console.WriteLine($"Password of {parse.GetValue(username)} set.");
            });
        });

        var disable = new Command("disable", "Disable a user: they cannot sign in and their open sessions end.") { username };
        disable.SetAction(async (parse, ct) => await WithUsers(parse.GetValue(config), async users =>
        {
            Check(await users.SetDisabledAsync(parse.GetValue(username)!, true, CliActor, ct));
            Console.WriteLine($"{parse.GetValue(username)} disabled.");
        }));

        var enable = new Command("enable", "Enable a disabled or locked-out user.") { username };
        enable.SetAction(async (parse, ct) => await WithUsers(parse.GetValue(config), async users =>
        {
            Check(await users.SetDisabledAsync(parse.GetValue(username)!, false, CliActor, ct));
            Console.WriteLine($"{parse.GetValue(username)} enabled.");
        }));

        var reset2fa = new Command("reset-2fa", "Turn off a user's second factor (a lost phone); they can enable it again.") { username };
        reset2fa.SetAction(async (parse, ct) => await WithUsers(parse.GetValue(config), async users =>
        {
            Check(await users.ResetTwoFactorAsync(parse.GetValue(username)!, CliActor, ct));
            Console.WriteLine($"Second factor of {parse.GetValue(username)} reset.");
        }));

        return new Command("users", "Users of the moderator console.") { create, list, setRoles, setPassword, disable, enable, reset2fa };
    }

    private static async Task<int> WithUsers(string? configFile, Func<ConsoleUserService, Task> action)
    {
        using var sp = CliHost.Build(configFile);
        await using var scope = sp.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<ConsoleUserService>());
        return 0;
    }

    private static void Check(UserOutcome outcome)
    {
        if (!outcome.Succeeded) throw new CliException(string.Join(Environment.NewLine + "error: ", outcome.Errors));
    }

    /// <summary>The first line of standard input; typed at a terminal, it is not echoed.</summary>
    private static string ReadPassword()
    {
        var line = Console.IsInputRedirected ? ReadLimitedLine(Console.In) : ReadHidden();
        if (string.IsNullOrEmpty(line)) throw new CliException("No password: pass --password or write it to standard input.");
        return line;
    }

    /// <summary>The first line of a pipe, refusing more than <see cref="CliFiles.PasswordChars"/> characters without reading further.</summary>
    private static string? ReadLimitedLine(TextReader input)
    {
        var line = new System.Text.StringBuilder();
        int c;
        while ((c = input.Read()) >= 0 && c != '\n')
        {
            if (line.Length == CliFiles.PasswordChars) throw new CliException($"The password on standard input is longer than {CliFiles.PasswordChars} characters.");
            line.Append((char)c);
        }
        if (c < 0 && line.Length == 0) return null;
        return line.ToString().TrimEnd('\r');
    }

    private static string ReadHidden()
    {
        Console.Error.Write("Password: ");
        var typed = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (typed.Length > 0) typed.Length--; }
            else if (!char.IsControl(key.KeyChar)) typed.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return typed.ToString();
    }
}
