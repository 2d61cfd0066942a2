using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bulwark.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class KnownContent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "pdq_threshold",
                table: "banks",
                type: "INTEGER",
                nullable: false,
                defaultValue: 31);

            migrationBuilder.AddColumn<bool>(
                name: "safe",
                table: "banks",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "updated_at",
                table: "banks",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<double>(
                name: "vpdq_query_match_percent",
                table: "banks",
                type: "REAL",
                nullable: false,
                defaultValue: 80.0);

            migrationBuilder.AddColumn<double>(
                name: "vpdq_reference_match_percent",
                table: "banks",
                type: "REAL",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<string>(
                name: "entity",
                table: "bank_entries",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "payload",
                table: "bank_entries",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "quality",
                table: "bank_entries",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "source",
                table: "bank_entries",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "updated_at",
                table: "bank_entries",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateIndex(
                name: "IX_bank_entries_updated_at",
                table: "bank_entries",
                column: "updated_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_bank_entries_updated_at",
                table: "bank_entries");

            migrationBuilder.DropColumn(
                name: "pdq_threshold",
                table: "banks");

            migrationBuilder.DropColumn(
                name: "safe",
                table: "banks");

            migrationBuilder.DropColumn(
                name: "updated_at",
                table: "banks");

            migrationBuilder.DropColumn(
                name: "vpdq_query_match_percent",
                table: "banks");

            migrationBuilder.DropColumn(
                name: "vpdq_reference_match_percent",
                table: "banks");

            migrationBuilder.DropColumn(
                name: "entity",
                table: "bank_entries");

            migrationBuilder.DropColumn(
                name: "payload",
                table: "bank_entries");

            migrationBuilder.DropColumn(
                name: "quality",
                table: "bank_entries");

            migrationBuilder.DropColumn(
                name: "source",
                table: "bank_entries");

            migrationBuilder.DropColumn(
                name: "updated_at",
                table: "bank_entries");
        }
    }
}
