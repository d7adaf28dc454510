#!/bin/sh
#SBATCH -J "unterminated
