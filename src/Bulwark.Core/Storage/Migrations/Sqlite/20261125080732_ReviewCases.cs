using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bulwark.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReviewCases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "review_cases",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    queue = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    decision_id = table.Column<long>(type: "INTEGER", nullable: true),
                    content_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    content_version_id = table.Column<long>(type: "INTEGER", nullable: false),
                    account_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    appeal_id = table.Column<long>(type: "INTEGER", nullable: true),
                    subject_case_id = table.Column<long>(type: "INTEGER", nullable: true),
                    policy = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    severity = table.Column<int>(type: "INTEGER", nullable: false),
                    confidence = table.Column<double>(type: "REAL", nullable: false),
                    reach = table.Column<long>(type: "INTEGER", nullable: false),
                    source = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    due_at = table.Column<long>(type: "INTEGER", nullable: false),
                    sort_key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    excluded_reviewer = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    claimed_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    claim_token = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    claimed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    claim_expires_at = table.Column<long>(type: "INTEGER", nullable: true),
                    verdict = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    verdict_policy = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    actions_json = table.Column<string>(type: "TEXT", nullable: false),
                    exception_applied = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    escalated_to = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    decided_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    decided_at = table.Column<long>(type: "INTEGER", nullable: true),
                    submission_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    outcome = table.Column<string>(type: "TEXT", nullable: true),
                    qa_agrees = table.Column<bool>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_review_cases", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "review_media_reveals",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    user_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    case_id = table.Column<long>(type: "INTEGER", nullable: false),
                    media_index = table.Column<int>(type: "INTEGER", nullable: false),
                    milliseconds = table.Column<long>(type: "INTEGER", nullable: false),
                    revealed_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_review_media_reveals", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "review_preferences",
                columns: table => new
                {
                    user_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    blur = table.Column<bool>(type: "INTEGER", nullable: true),
                    greyscale = table.Column<bool>(type: "INTEGER", nullable: true),
                    break_reminder_minutes = table.Column<int>(type: "INTEGER", nullable: true),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_review_preferences", x => x.user_name);
                });

            migrationBuilder.CreateTable(
                name: "upstream_deletions",
                columns: table => new
                {
                    content_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    deleted_at = table.Column<long>(type: "INTEGER", nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    recorded_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_upstream_deletions", x => x.content_id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_review_cases_account_id_status",
                table: "review_cases",
                columns: new[] { "account_id", "status" });

            migrationBuilder.CreateIndex(
                name: "IX_review_cases_decided_by_decided_at",
                table: "review_cases",
                columns: new[] { "decided_by", "decided_at" });

            migrationBuilder.CreateIndex(
                name: "IX_review_cases_decision_id",
                table: "review_cases",
                column: "decision_id");

            migrationBuilder.CreateIndex(
                name: "IX_review_cases_queue_status_sort_key",
                table: "review_cases",
                columns: new[] { "queue", "status", "sort_key" });

            migrationBuilder.CreateIndex(
                name: "IX_review_cases_status_queue_due_at",
                table: "review_cases",
                columns: new[] { "status", "queue", "due_at" });

            migrationBuilder.CreateIndex(
                name: "IX_review_cases_subject_case_id",
                table: "review_cases",
                column: "subject_case_id");

            migrationBuilder.CreateIndex(
                name: "IX_review_media_reveals_user_name_revealed_at",
                table: "review_media_reveals",
                columns: new[] { "user_name", "revealed_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "review_cases");

            migrationBuilder.DropTable(
                name: "review_media_reveals");

            migrationBuilder.DropTable(
                name: "review_preferences");

            migrationBuilder.DropTable(
                name: "upstream_deletions");
        }
    }
}
