using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bulwark.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Notices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "notices",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    source = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    trusted_flagger_id = table.Column<long>(type: "INTEGER", nullable: true),
                    content_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    explanation = table.Column<string>(type: "TEXT", maxLength: 5000, nullable: false),
                    notifier_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    notifier_email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    notifier_key = table.Column<string>(type: "TEXT", maxLength: 340, nullable: true),
                    good_faith = table.Column<bool>(type: "INTEGER", nullable: false),
                    channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    open_key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    received_at = table.Column<long>(type: "INTEGER", nullable: false),
                    case_id = table.Column<long>(type: "INTEGER", nullable: true),
                    decision_id = table.Column<long>(type: "INTEGER", nullable: true),
                    matched_at = table.Column<long>(type: "INTEGER", nullable: true),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    policy = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    decision_summary = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    decided_at = table.Column<long>(type: "INTEGER", nullable: true),
                    manifestly_unfounded = table.Column<bool>(type: "INTEGER", nullable: false),
                    unfounded_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    unfounded_at = table.Column<long>(type: "INTEGER", nullable: true),
                    repeats = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notices", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "notifier_deliveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    notice_id = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    recipient = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    subject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    body = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    next_attempt_at = table.Column<long>(type: "INTEGER", nullable: true),
                    sent_at = table.Column<long>(type: "INTEGER", nullable: true),
                    channel = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notifier_deliveries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "notifier_measures",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    notifier_key = table.Column<string>(type: "TEXT", maxLength: 340, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    imposed_at = table.Column<long>(type: "INTEGER", nullable: false),
                    until = table.Column<long>(type: "INTEGER", nullable: true),
                    reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    imposed_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    appealed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    appeal_reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    appeal_outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    appeal_decided_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    lifted_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notifier_measures", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "trusted_flaggers",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    organisation = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    expertise = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    awarding_coordinator = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    contact_email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_trusted_flaggers", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_notices_case_id",
                table: "notices",
                column: "case_id");

            migrationBuilder.CreateIndex(
                name: "IX_notices_decision_id",
                table: "notices",
                column: "decision_id");

            migrationBuilder.CreateIndex(
                name: "IX_notices_notifier_key_manifestly_unfounded",
                table: "notices",
                columns: new[] { "notifier_key", "manifestly_unfounded" });

            migrationBuilder.CreateIndex(
                name: "IX_notices_open_key",
                table: "notices",
                column: "open_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_notices_received_at",
                table: "notices",
                column: "received_at");

            migrationBuilder.CreateIndex(
                name: "IX_notices_status_id",
                table: "notices",
                columns: new[] { "status", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_notices_trusted_flagger_id",
                table: "notices",
                column: "trusted_flagger_id");

            migrationBuilder.CreateIndex(
                name: "IX_notifier_deliveries_notice_id",
                table: "notifier_deliveries",
                column: "notice_id");

            migrationBuilder.CreateIndex(
                name: "IX_notifier_deliveries_status_next_attempt_at",
                table: "notifier_deliveries",
                columns: new[] { "status", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "IX_notifier_measures_notifier_key_imposed_at",
                table: "notifier_measures",
                columns: new[] { "notifier_key", "imposed_at" });

            migrationBuilder.CreateIndex(
                name: "IX_trusted_flaggers_organisation",
                table: "trusted_flaggers",
                column: "organisation",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "notices");

            migrationBuilder.DropTable(
                name: "notifier_deliveries");

            migrationBuilder.DropTable(
                name: "notifier_measures");

            migrationBuilder.DropTable(
                name: "trusted_flaggers");
        }
    }
}
