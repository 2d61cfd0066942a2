using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bulwark.Core.Storage.Migrations.Postgres
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
                type: "text",
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
