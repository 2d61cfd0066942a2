using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bulwark.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SignalDetails : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "details_json",
                table: "signals",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "details_json",
                table: "signals");
        }
    }
}
