/**
 * The most frames a second the UI draws (ink's render throttle, leading and trailing: 17 ms
 * here, 34 ms at ink's default of 30). A key whose answer comes from the analyst's worker draws
 * twice: at once ("checking…"), then the answer, which waits for the throttle's trailing edge;
 * at 30 that wait was most of a later traffic check's time.
 */
export const MAX_FPS = 60;
