// Teams' host configs per theme (see web/src/hostconfig/README.md for where each comes from).
import { HostConfig } from 'adaptivecards';
import light from '../hostconfig/microsoft-teams-light.json';
import dark from '../hostconfig/microsoft-teams-dark.json';
import contrast from '../hostconfig/teams-high-contrast.json';

const configs = {
  light: new HostConfig(light),
  dark: new HostConfig(dark),
  contrast: new HostConfig(contrast),
};

export function hostConfigFor(theme) {
  return configs[theme] || configs.light;
}

// Card widths (px, inclusive upper bounds) of Adaptive Cards 1.6's targetWidth categories
// veryNarrow, narrow and standard; wider is wide. Teams' host configs do not say: these are
// the breakpoints of Teams' responsive-layout samples (a phone's card is narrow, a desktop
// chat's card standard or wide).
export const WIDTH_BREAKPOINTS = { veryNarrow: 216, narrow: 413, standard: 500 };
