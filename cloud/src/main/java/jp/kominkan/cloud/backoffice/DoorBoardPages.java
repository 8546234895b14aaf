package jp.kominkan.cloud.backoffice;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.alarm.Alarm;
import jp.kominkan.cloud.alarm.Alarms;
import jp.kominkan.cloud.caretaking.DoorBoard;
import jp.kominkan.cloud.caretaking.RemoteUnlocks;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.staff.StaffRepository;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;

/**
 * The caretakers' pages (管理人): {@code /staff/doors}, the door board — every door in the member's scope by facility,
 * with its status, battery, keypad, remote unlock, gateway, last event and bookings, the open alarms above, a remote
 * unlock form per door for those who may operate it — and {@code /staff/alarms}, open alarms and those of the last
 * seven days with an acknowledgement form each. Both are complete without script (the first paint is one
 * {@link DoorBoard#doors} call); {@code /static/door-board.js}, served here, keeps the board live from
 * {@code /api/v1/staff/doors/stream}. Permissions and scope are the desk's: these handlers only translate.
 */
public final class DoorBoardPages implements HttpService {

    private static final DateTimeFormatter UNTIL = DateTimeFormatter.ofPattern("H:mm");

    private final StaffSite site;
    private final DoorBoard board;
    private final Alarms alarms;
    private final RemoteUnlocks unlocks;
    private final StaffRepository staff;
    private final Clock clock;
    private final byte[] script;

    /**
     * @param site    staff page support: sign-in, CSRF, the layout
     * @param board   the door board
     * @param alarms  alarms
     * @param unlocks remote unlocks
     * @param staff   staff, for who acknowledged an alarm
     * @param clock   the clock
     */
    public DoorBoardPages(StaffSite site, DoorBoard board, Alarms alarms, RemoteUnlocks unlocks, StaffRepository staff,
                          Clock clock) {
        this.site = site;
        this.board = board;
        this.alarms = alarms;
        this.unlocks = unlocks;
        this.staff = staff;
        this.clock = clock;
        this.script = resource("/static/door-board.js");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/staff/doors", site.guard(Permission.VIEW_DOORS, this::board))
                .post("/staff/doors/{doorId}/unlock", site.guard(Permission.VIEW_DOORS, this::unlock))
                .get("/staff/alarms", site.guard(Permission.VIEW_DOORS, this::alarmList))
                .post("/staff/alarms/{id}/acknowledge", site.guard(Permission.VIEW_DOORS, this::acknowledge))
                .get("/static/door-board.js", this::script);
    }

    // ---- the board ------------------------------------------------------------------------------

    private void board(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        showBoard(req, res, town, me, Optional.empty(), Status.OK_200);
    }

    private void unlock(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Map<String, String> form = site.form(req);
        String doorId = req.path().pathParameters().get("doorId");
        String minutes = form.getOrDefault("minutes", "").strip();
        try {
            RemoteUnlocks.Unlock unlock = unlocks.unlock(town, me, Actor.of(me, req), doorId, form.get("reason"),
                    minutes.matches("\\d{1,3}") ? Integer.valueOf(minutes) : null);
            site.redirect(res, "/staff/doors?" + Links.query(Map.of("done", "unlocked", "door", doorId,
                    "until", UNTIL.format(unlock.until().atZone(town.zone())))));
        } catch (Problem problem) {
            if (problem.status() == 404) {
                throw problem;
            }
            showBoard(req, res, town, me, Optional.of(new FormError(doorId, problem.field().orElse("form"),
                    Formats.message(req, problem), Map.of("reason", form.getOrDefault("reason", ""), "minutes", minutes))),
                    Status.create(problem.status()));
        }
    }

    private void showBoard(ServerRequest req, ServerResponse res, Municipality town, StaffMember me,
                           Optional<FormError> error, Status status) {
        Page page = site.page(req, res, town);
        Instant now = clock.instant();
        List<DoorBoard.BoardDoor> doors = board.doors(town, me);
        DoorBoardViews.Names names = DoorBoardViews.Names.of(doors);
        List<Alarm> open = alarms.recent(town, me).stream().filter(Alarm::open).toList();
        Map<String, Object> model = new HashMap<>();
        model.put("groups", DoorBoardViews.groups(doors, f -> me.may(Permission.OPERATE_DOORS, f), town.zone(), now, page));
        model.put("alarms", DoorBoardViews.alarms(open, names, id -> "", f -> me.may(Permission.OPERATE_DOORS, f),
                town.zone(), now, page));
        model.put("today", now.atZone(town.zone()).toLocalDate().toString());
        model.put("notice", notice(req, names, page));
        model.put("error", error);
        site.render(res, status, "staff/doorBoard.jte", page, me, model);
    }

    /** 「遠隔解錠を送りました（〜12:35）」 after a redirect; only for a door on the board and a time that reads as one. */
    private static String notice(ServerRequest req, DoorBoardViews.Names names, Page page) {
        Map<String, String> query = Formats.query(req, "done", "door", "until");
        String door = names.doors().get(query.getOrDefault("door", ""));
        String until = query.getOrDefault("until", "");
        if (!"unlocked".equals(query.get("done")) || door == null || !until.matches("\\d{1,2}:\\d{2}")) {
            return "";
        }
        return page.t("遠隔解錠を送りました（〜" + until + "）。扉: " + door,
                "Remote unlock sent (until " + until + "). Door: " + door);
    }

    // ---- alarms ---------------------------------------------------------------------------------

    private void alarmList(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        showAlarms(req, res, town, me, Optional.empty(), Status.OK_200);
    }

    private void acknowledge(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Map<String, String> form = site.form(req);
        UUID id = PathIds.uuid(req, "id");
        try {
            alarms.acknowledge(town, me, Actor.of(me, req), id, form.get("note"));
            site.redirect(res, "/staff/alarms?done=acknowledged#alarm-" + id);
        } catch (Problem problem) {
            if (problem.status() == 404) {
                throw problem;
            }
            showAlarms(req, res, town, me, Optional.of(new FormError(id.toString(), problem.field().orElse("form"),
                    Formats.message(req, problem), Map.of("note", form.getOrDefault("note", "")))),
                    Status.create(problem.status()));
        }
    }

    private void showAlarms(ServerRequest req, ServerResponse res, Municipality town, StaffMember me,
                            Optional<FormError> error, Status status) {
        Page page = site.page(req, res, town);
        Instant now = clock.instant();
        Map<UUID, String> who = new HashMap<>();
        List<DoorBoardViews.AlarmLine> lines = DoorBoardViews.alarms(alarms.recent(town, me),
                DoorBoardViews.Names.of(board.doors(town, me)),
                id -> who.computeIfAbsent(id, k -> staff.find(k).map(StaffMember::name).orElse("")),
                f -> me.may(Permission.OPERATE_DOORS, f), town.zone(), now, page);
        Map<String, Object> model = new HashMap<>();
        model.put("open", lines.stream().filter(a -> a.state().equals("open")).toList());
        model.put("past", lines.stream().filter(a -> !a.state().equals("open")).toList());
        model.put("done", "acknowledged".equals(Formats.query(req, "done").get("done")));
        model.put("error", error);
        site.render(res, status, "staff/alarms.jte", page, me, model);
    }

    // ---- the script -----------------------------------------------------------------------------

    private void script(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/javascript; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=3600");
        res.send(script);
    }

    private static byte[] resource(String name) {
        try (InputStream in = DoorBoardPages.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A form refused, shown next to the form it came from, which gets the focus.
     *
     * @param target the door or alarm whose form it was
     * @param field  the field at fault, or {@code form}
     * @param message what was wrong, in the page's language
     * @param values what was typed
     */
    public record FormError(String target, String field, String message, Map<String, String> values) {

        /**
         * @param id a door or alarm
         * @return whether this error belongs to its form
         */
        public boolean about(String id) {
            return target.equals(id);
        }

        /**
         * @param name     a field
         * @param fallback what to show otherwise
         * @return what was typed into it
         */
        public String value(String name, String fallback) {
            return values.getOrDefault(name, fallback);
        }
    }
}
