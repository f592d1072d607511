import * as util from 'util';
import { PLAIN, TextStyle } from '../check/report';

/**
 * Colour for the text format: only when writing to a terminal, never when NO_COLOR is
 * set (https://no-color.org), and always when FORCE_COLOR is set to something other
 * than 0. Uses Node's own `util.styleText`.
 */
export function textStyle(isTTY: boolean, env: NodeJS.ProcessEnv = process.env): TextStyle {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  const on = (isTTY || forced) && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
  type StyleText = (format: string | string[], text: string, options?: { validateStream?: boolean }) => string;
  const styleText = (util as any).styleText as StyleText | undefined;
  if (!on || typeof styleText !== 'function') return PLAIN;
  // validateStream: false: whether to colour is decided here, for the stream the text goes to.
  const paint = (format: string | string[]) => (s: string) => styleText(format, s, { validateStream: false });
  return { error: paint(['bold', 'red']), warning: paint(['bold', 'yellow']), dim: paint('dim'), bold: paint('bold') };
}
