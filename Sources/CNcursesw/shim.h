#ifndef SLUICE_CNCURSESW_SHIM_H
#define SLUICE_CNCURSESW_SHIM_H

#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/* Macros and globals Swift cannot import directly. */
int wcwidth(wchar_t c);

static inline WINDOW *sluice_stdscr(void) { return stdscr; }
static inline int sluice_lines(void) { return LINES; }
static inline int sluice_cols(void) { return COLS; }
static inline int sluice_colors(void) { return COLORS; }
static inline attr_t sluice_a_bold(void) { return A_BOLD; }
static inline attr_t sluice_a_dim(void) { return A_DIM; }
static inline attr_t sluice_a_reverse(void) { return A_REVERSE; }
static inline attr_t sluice_a_underline(void) { return A_UNDERLINE; }
static inline attr_t sluice_a_italic(void) { return A_ITALIC; }
static inline attr_t sluice_a_normal(void) { return A_NORMAL; }
static inline int sluice_key_f(int n) { return KEY_F(n); }
static inline mmask_t sluice_all_mouse_events(void) { return ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION; }
static inline mmask_t sluice_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t sluice_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t sluice_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t sluice_button4_pressed(void) { return BUTTON4_PRESSED; }
#ifdef BUTTON5_PRESSED
static inline mmask_t sluice_button5_pressed(void) { return BUTTON5_PRESSED; }
#else
static inline mmask_t sluice_button5_pressed(void) { return 0; }
#endif

static inline int sluice_utf8_locale(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs && (cs[0] == 'U' || cs[0] == 'u') && (cs[1] == 'T' || cs[1] == 't') && (cs[2] == 'F' || cs[2] == 'f');
}

/* Writes one cell: a wide-character string with attributes and an extended colour pair. */
static inline int sluice_put_cell(int y, int x, const wchar_t *wch, attr_t attrs, int pair) {
    cchar_t cc;
    setcchar(&cc, wch, attrs, 0, &pair);
    return mvwadd_wch(stdscr, y, x, &cc);
}

/* Writes a run of cells sharing one style. */
static inline int sluice_put_run(int y, int x, const wchar_t *wstr, int n, attr_t attrs, int pair) {
    wmove(stdscr, y, x);
    wattr_set(stdscr, attrs, 0, &pair);
    return waddnwstr(stdscr, wstr, n);
}

#endif
