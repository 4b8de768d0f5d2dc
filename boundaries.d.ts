// Types of boundaries.js (plain JavaScript, so that eslint.config.js can load it as it is).
import type { Linter } from 'eslint';

export interface PackageRule {
  dir: string;
  uses: string[];
  testUses?: string[];
}
export const packages: Record<string, PackageRule>;
export const testFiles: string[];
export function boundaryConfigs(): Linter.Config[];
