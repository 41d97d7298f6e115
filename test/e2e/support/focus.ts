/**
 * Measuring a focus indicator in the page (issue 13: a visible focus on every focusable element, WCAG 2.4.7,
 * and 2.4.13's size and contrast where they can be computed).
 *
 * The ring of a focused element is drawn on the element itself, or on what stands for it when the real
 * control is hidden or inside a box: a segmented control's label after its hidden radio, a tag input's box
 * round its inner field. So each stop is measured on the element, its next sibling and two ancestors, and
 * one of them must change its outline or shadow when focused. Colours are read through a canvas, which turns
 * any CSS colour (color-mix, oklab, named) into sRGB numbers; the background is the ancestors' colours
 * stacked until one is opaque.
 */

export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** One candidate's look: its outline, its shadow, and the colour behind it. */
export interface FocusRing {
  /** Where it is relative to the focused element: self, next sibling, parent, grandparent. */
  at: string;
  visible: boolean;
  outlineStyle: string;
  outlineWidth: number;
  outlineColor: Rgba;
  boxShadow: string;
  /** The first colour of the shadow, if any. */
  shadowColor: Rgba | null;
  background: Rgba;
}

export interface FocusStop {
  tag: string;
  name: string;
  rings: FocusRing[];
}

/**
 * Runs in the page: adds window.__focusRings(el), window.__focusMeasure() (the focused element's rings, or null
 * at the end of the walk: body, or a stop seen before) and window.__focusUnfocused() (each stop's rings as
 * they look without the focus). Source text, as the other specs evaluate: the test project has no DOM types.
 */
const INSTALL = `(() => {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  const rgba = (color) => {
    context.clearRect(0, 0, 1, 1);
    context.fillStyle = 'rgba(0, 0, 0, 0)';
    context.fillStyle = color;
    context.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = context.getImageData(0, 0, 1, 1).data;
    return { r, g, b, a: a / 255 };
  };
  const over = (top, below) => ({
    r: top.r * top.a + below.r * (1 - top.a),
    g: top.g * top.a + below.g * (1 - top.a),
    b: top.b * top.a + below.b * (1 - top.a),
    a: 1,
  });
  const backgroundBehind = (el) => {
    const layers = [];
    for (let node = el.parentElement; node; node = node.parentElement) {
      const color = rgba(getComputedStyle(node).backgroundColor);
      if (color.a > 0) layers.push(color);
      if (color.a >= 1) break;
    }
    // Under everything: the page's own colour (the body's, when html has none), else white.
    let result = { r: 255, g: 255, b: 255, a: 1 };
    if (layers.length === 0 || layers[layers.length - 1].a < 1) result = over(rgba(getComputedStyle(document.body).backgroundColor), result);
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const rings = (el) =>
    [['self', el], ['next sibling', el.nextElementSibling], ['parent', el.parentElement], ['grandparent', el.parentElement?.parentElement ?? null]]
      .filter(([, node]) => node !== null)
      .map(([at, node]) => {
        const style = getComputedStyle(node);
        const box = node.getBoundingClientRect();
        const shadow = /rgba?\\([^)]*\\)|#[0-9a-f]{3,8}/i.exec(style.boxShadow);
        return {
          at,
          visible: box.width > 1 && box.height > 1 && style.visibility !== 'hidden' && Number(style.opacity) > 0,
          outlineStyle: style.outlineStyle,
          outlineWidth: parseFloat(style.outlineWidth) || 0,
          outlineColor: rgba(style.outlineColor),
          boxShadow: style.boxShadow,
          shadowColor: shadow ? rgba(shadow[0]) : null,
          background: backgroundBehind(node),
        };
      });
  const stops = [];
  window.__focusMeasure = () => {
    const el = document.activeElement;
    if (!el || el === document.body || stops.includes(el)) return null;
    stops.push(el);
    const name = (el.getAttribute('aria-label') ?? el.labels?.[0]?.textContent ?? el.textContent ?? '').replace(/\\s+/g, ' ').trim().slice(0, 60);
    return { tag: el.tagName.toLowerCase(), name, rings: rings(el) };
  };
  window.__focusUnfocused = () => stops.map(rings);
})()`;

const channel = (value: number) => {
  const c = value / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};
const luminance = (c: Rgba) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
const blend = (top: Rgba, below: Rgba): Rgba => ({
  r: top.r * top.a + below.r * (1 - top.a),
  g: top.g * top.a + below.g * (1 - top.a),
  b: top.b * top.a + below.b * (1 - top.a),
  a: 1,
});

/** WCAG's contrast ratio of two colours, the first laid over the second when it is translucent. */
export function contrastRatio(fore: Rgba, back: Rgba): number {
  const [a, b] = [luminance(blend(fore, back)), luminance(back)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

/**
 * Whether one stop shows its focus: some candidate changed its outline (2 px or more, solid enough) or
 * gained a shadow when focused, in a colour of at least `minContrast`:1 against its background. Returns
 * what is wrong, or nothing.
 */
function judge(stop: FocusStop, without: FocusRing[], minContrast: number): string[] {
  const seen: string[] = [];
  for (const [i, ring] of stop.rings.entries()) {
    const before = without[i];
    if (!ring.visible || !before) continue;
    const outlineChanged =
      ring.outlineStyle !== 'none' && ring.outlineWidth >= 2 && (before.outlineStyle === 'none' || before.outlineWidth < 2 || JSON.stringify(before.outlineColor) !== JSON.stringify(ring.outlineColor));
    if (outlineChanged) {
      const ratio = contrastRatio(ring.outlineColor, ring.background);
      if (ratio >= minContrast) return [];
      seen.push(`${ring.at}: outline ${ring.outlineWidth}px at ${ratio.toFixed(2)}:1`);
    }
    if (ring.boxShadow !== 'none' && ring.boxShadow !== before.boxShadow && ring.shadowColor) {
      const ratio = contrastRatio(ring.shadowColor, ring.background);
      if (ratio >= minContrast) return [];
      seen.push(`${ring.at}: shadow at ${ratio.toFixed(2)}:1`);
    }
  }
  return [`<${stop.tag}> "${stop.name}": ${seen.length ? seen.join('; ') : 'no outline or shadow appears when focused'}`];
}

/** What a spec evaluates in the page (install once per page load, then measure after each Tab), and the judge. */
export const FOCUS_PROBE = {
  install: INSTALL,
  measure: 'window.__focusMeasure()',
  unfocused: 'window.__focusUnfocused()',
  judge,
};
