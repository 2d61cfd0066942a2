using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bulwark.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PartnersFeedbackLeasesAndFormGuard : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "lease_owner",
                table: "exchange_feedback",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "lease_until",
                table: "exchange_feedback",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "notice_form_challenges",
                columns: table => new
                {
                    challenge = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notice_form_challenges", x => x.challenge);
                });

            migrationBuilder.CreateTable(
                name: "notice_form_counts",
                columns: table => new
                {
                    address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    window_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notice_form_counts", x => x.address);
                });

            migrationBuilder.CreateIndex(
                name: "IX_notice_form_challenges_expires_at",
                table: "notice_form_challenges",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "IX_notice_form_counts_window_start",
                table: "notice_form_counts",
                column: "window_start");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "notice_form_challenges");

            migrationBuilder.DropTable(
                name: "notice_form_counts");

            migrationBuilder.DropColumn(
                name: "lease_owner",
                table: "exchange_feedback");

            migrationBuilder.DropColumn(
                name: "lease_until",
                table: "exchange_feedback");
        }
    }
}
